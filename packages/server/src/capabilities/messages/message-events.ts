import {
  builtInError,
  ClientEvent,
  parsePayload,
  type MessageChangeResult,
  type MessageSendResult,
  type PayloadSchemas,
  type Room,
} from '@chat/protocol';
import type { EventHandler, SessionCaller } from '../../core/capability.js';
import type { ChangeActor, ChangeRequest } from '../../core/message-ports.js';
import { ChatAction } from '../../core/policy.js';
import type { CapabilityContext } from '../capability-context.js';
import { takeMessage } from '../../kernel/connection/message-rate.js';
import { openRoom } from '../../kernel/rooms/open-room.js';
import { changeMessage } from './change-message.js';
import { postMessage } from './post-message.js';
import { messageInput } from '../../core/message-input.js';
import { threadParent } from '../../core/thread-parent.js';
import { currentEpoch, notRemoved } from './encrypted-writes.js';

/** The client events of messages: sends, edits, deletes and reactions, one table for every socket. */
export function messageEvents(ctx: () => CapabilityContext): Record<string, EventHandler> {
  return {
    [ClientEvent.MESSAGE_SEND]: (caller, payload) => send(ctx(), caller, payload),
    [ClientEvent.MESSAGE_EDIT]: async (caller, payload) => {
      const { roomId, messageId, text, mentions, ciphertext, epoch, deviceId } = parsePayload(ctx().schemas['message:edit'], payload);
      if (deviceId !== undefined) await notRemoved(ctx(), caller.user.id, deviceId);
      return change(ctx(), caller, roomId, messageId, {
        type: 'edit',
        text,
        ...(mentions !== undefined && { mentions }),
        ...(ciphertext !== undefined && epoch !== undefined && { ciphertext, epoch }),
      });
    },
    [ClientEvent.MESSAGE_DELETE]: async (caller, payload) => {
      const { roomId, messageId } = parsePayload(ctx().schemas['message:delete'], payload);
      return change(ctx(), caller, roomId, messageId, { type: 'delete' });
    },
    [ClientEvent.REACTION_ADD]: (caller, payload) => react(ctx(), caller, ClientEvent.REACTION_ADD, payload),
    [ClientEvent.REACTION_REMOVE]: (caller, payload) => react(ctx(), caller, ClientEvent.REACTION_REMOVE, payload),
  };
}

async function send(ctx: CapabilityContext, caller: SessionCaller, payload: unknown): Promise<MessageSendResult> {
  let parsed: ReturnType<typeof parsePayload<PayloadSchemas['message:send']>>;
  try {
    parsed = parsePayload(ctx.schemas['message:send'], payload);
  } catch (error) {
    // A refused send costs a message too: a stream of malformed sends is no free flood.
    const wait = await takeMessage(ctx, caller.user.id);
    if (wait > 0) throw builtInError('RATE_LIMITED', 'You are sending too fast. Please slow down.', { retryAfter: wait });
    throw error;
  }
  const { roomId, clientId, epoch, uploads, deviceId, ...content } = parsed;
  // What a send needs is at hand in one process; each await of a promise costs the message a
  // turn of the microtask queue before its broadcast, so only what may wait is awaited.
  if (!caller.rooms.has(roomId)) await caller.requireRoom(roomId);
  // The user's rate over all processes (shared in Redis with a cluster).
  const taken = takeMessage(ctx, caller.user.id);
  const wait = typeof taken === 'number' ? taken : await taken;
  if (wait > 0) {
    throw builtInError('RATE_LIMITED', `You are sending messages too fast. Try again in ${Math.ceil(wait / 1000)} s.`, {
      retryAfter: wait,
    });
  }
  const threadOf = content.threadOf;
  const thread = threadOf === undefined ? undefined : (room: Room) => threadParent(ctx.store, room, threadOf);
  const { room, chatContext } = await openRoom(
    ctx,
    ChatAction.MESSAGE_SEND,
    roomId,
    caller.user,
    caller.handshake,
    false,
    undefined,
    thread,
  );
  // Bans, mutes, a frozen room, slow mode.
  await ctx.guard.write(room, caller.user, 'send');
  // Kicked, banned or removed while the checks ran: the send is not posted after the removal.
  if (!caller.rooms.has(roomId)) throw builtInError('NOT_IN_ROOM', 'You were removed from this room, so the message was not sent.');
  if (epoch !== undefined) await currentEpoch(ctx, roomId, epoch);
  if (deviceId !== undefined) await notRemoved(ctx, caller.user.id, deviceId);
  const input = messageInput(content);
  // Resolved already for `authorize`: the message path does not look it up again.
  if (chatContext.threadOf !== undefined) input.threadOf = chatContext.threadOf;
  return { message: await postMessage(ctx, chatContext, clientId, { ...input, ...(uploads && { uploads }) }, caller.socketId) };
}

async function react(
  ctx: CapabilityContext,
  caller: SessionCaller,
  event: typeof ClientEvent.REACTION_ADD | typeof ClientEvent.REACTION_REMOVE,
  payload: unknown,
): Promise<MessageChangeResult> {
  const { roomId, messageId, emoji } = parsePayload(ctx.schemas[event], payload);
  return change(ctx, caller, roomId, messageId, { type: event === ClientEvent.REACTION_ADD ? 'react' : 'unreact', emoji });
}

// Changes need the socket in the room; the rest (room, message, authorize) is the change path's.
async function change(
  ctx: CapabilityContext,
  caller: SessionCaller,
  roomId: string,
  messageId: string,
  request: ChangeRequest,
): Promise<MessageChangeResult> {
  await caller.requireRoom(roomId);
  const actor: ChangeActor = { user: caller.user, handshake: caller.handshake, exceptSocketId: caller.socketId };
  return { message: await changeMessage(ctx, roomId, messageId, request, actor) };
}
