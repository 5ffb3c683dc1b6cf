import { parsePayload, type Attachment, type ChatUser, type Message, type Room, type UserRef } from '@chat/protocol';
import { randomUUID } from 'node:crypto';
import { checkUser } from '../auth/check-user.js';
import { draftPayload, messageInput } from '../core/message-input.js';
import { changeMessage } from '../capabilities/messages/index.js';
import { postMessage } from '../capabilities/messages/index.js';
import { openRoom } from '../kernel/rooms/open-room.js';
import { threadParent } from '../core/thread-parent.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';

// The host's messages (`chat.sendMessage`, `chat.editMessage`, `chat.deleteMessage`), once the server is ready.

/** What `chat.sendMessage` takes: a server-side sender (a bot, a system notice). */
export interface ServerMessageInput {
  user: ChatUser;
  text: string;
  attachments?: Attachment[];
  replyTo?: string;
  /** User ids mentioned; only users present in the room are kept. */
  mentions?: string[];
  /** Post it as a reply in the thread of this message of the room (a reply's id: that reply's thread). */
  threadOf?: string;
  /** With `threadOf`: in the room's main log too. @default false */
  alsoInRoom?: boolean;
  /** Idempotency key; give one to make retries safe. @default a new UUID */
  clientId?: string;
}

export async function sendMessage(
  ready: Promise<void>,
  ctx: CapabilityContext,
  roomId: string,
  input: ServerMessageInput,
): Promise<Message> {
  await ready;
  const clientId = input.clientId ?? randomUUID();
  const { user } = input;
  const checked = parsePayload(ctx.schemas['message:send'], draftPayload(roomId, clientId, input));
  const asked = checked.threadOf;
  const thread = asked === undefined ? undefined : (room: Room) => threadParent(ctx.store, room, asked);
  const { chatContext } = await openRoom(ctx, 'message:send', roomId, checkUser(user), undefined, ctx.createRoomsOnJoin, true, thread);
  const draft = messageInput(checked);
  if (chatContext.threadOf !== undefined) draft.threadOf = chatContext.threadOf;
  return postMessage(ctx, chatContext, clientId, draft);
}

export async function editMessage(
  ready: Promise<void>,
  ctx: CapabilityContext,
  roomId: string,
  messageId: string,
  text: string,
  options: { mentions?: string[] },
): Promise<Message> {
  await ready;
  const checked = parsePayload(ctx.schemas['message:edit'], {
    roomId,
    messageId,
    text,
    ...(options.mentions !== undefined && { mentions: options.mentions }),
  });
  const request = { type: 'edit' as const, text: checked.text, ...(checked.mentions !== undefined && { mentions: checked.mentions }) };
  return changeMessage(ctx, checked.roomId, checked.messageId, request, {});
}

export async function deleteMessage(
  ready: Promise<void>,
  ctx: CapabilityContext,
  roomId: string,
  messageId: string,
  options: { by?: UserRef },
): Promise<Message> {
  await ready;
  const checked = parsePayload(ctx.schemas['message:delete'], { roomId, messageId });
  return changeMessage(ctx, checked.roomId, checked.messageId, { type: 'delete' }, options.by ? { by: options.by } : {});
}
