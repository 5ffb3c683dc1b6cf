import { ChatError, parsePayload, toChatError, type Message, type Room, type UserRef } from '@chat/protocol';
import type { ChatContext, MessageInput } from '../options.js';
import type { ServerContext } from '../server-context.js';
import { keepPresent } from './mentions.js';
import { keepMentionable } from '../conversations/mention-targets.js';
import { notifyRecipients } from '../conversations/notify.js';
import { markSent } from '../conversations/read-marks.js';
import { announceMessage } from '../conversations/room-activity.js';

/**
 * The one path every message takes, from a socket or `chat.sendMessage`: `beforeMessage`,
 * reply check, mentions kept to users in the room (or its stored members), store, broadcast
 * (not to `exceptSocketId`), the sender's read mark moved to it, `chat.on('message')`; then,
 * without holding the answer, `room:activity` to members elsewhere and the `notify` hook.
 * A duplicate (same clientId) is returned as stored and not broadcast again.
 */
export async function postMessage(
  ctx: ServerContext,
  chatContext: ChatContext,
  clientId: string,
  input: MessageInput,
  exceptSocketId?: string,
): Promise<Message> {
  let draft = input;
  if (ctx.beforeMessage) {
    const rewritten = await ctx.beforeMessage(
      {
        ...input,
        attachments: input.attachments.map((a) => ({ ...a })),
        ...(input.mentions !== undefined && { mentions: [...input.mentions] }),
      },
      chatContext,
    );
    // The hook's output is checked like a client's input: a hook must not bypass the limits.
    const checked = parsePayload(ctx.schemas['message:send'], { ...rewritten, roomId: chatContext.roomId, clientId });
    draft = { text: checked.text, attachments: checked.attachments ?? [] };
    if (checked.replyTo !== undefined) draft.replyTo = checked.replyTo;
    if (checked.mentions !== undefined) draft.mentions = checked.mentions;
  }
  const { roomId, user } = chatContext;
  // Ephemeral rooms: broadcast, never stored (a meeting whose chat must not be kept).
  const ephemeral = chatContext.room?.options.ephemeral === true;
  if (draft.replyTo !== undefined) {
    const found = ephemeral ? await ctx.ephemeral.get(roomId, draft.replyTo) : await ctx.store.getMessage(roomId, draft.replyTo);
    if (!found) throw new ChatError('MESSAGE_NOT_FOUND', 'The message you are replying to does not exist in this room.');
  }
  const sender: UserRef = { id: user.id, name: user.name };
  if (user.avatarUrl !== undefined) sender.avatarUrl = user.avatarUrl;
  const { mentions: asked, ...content } = draft;
  const room = chatContext.room;
  const mentions = room ? await keepMentionable(ctx, room, asked) : await keepPresent(ctx, roomId, asked);
  const messageDraft = { roomId, clientId, user: sender, ...content, ...(mentions.length > 0 && { mentions }) };
  const { message, duplicate } = ephemeral ? await ctx.ephemeral.append(messageDraft) : await ctx.store.appendMessage(messageDraft);
  if (duplicate) {
    // Another user's key: refuse rather than hand back someone else's message as this one.
    if (message.user.id !== user.id) throw new ChatError('VALIDATION_FAILED', 'This clientId is already used by another message.');
    return message;
  }
  const target = exceptSocketId ? ctx.nsp.to(roomId).except(exceptSocketId) : ctx.nsp.to(roomId);
  target.emit('message', message);
  ctx.typing.clear(roomId, user.id);
  if (room && !ephemeral) {
    // One's own messages are never unread: unread is the room's last seq minus the mark, no scan.
    await markSent(ctx, roomId, user.id, message.seq);
    afterStored(ctx, room, message);
  }
  ctx.events.emit('message', message);
  return message;
}

// Work for members who are not in the room, done after the answer; close() waits for it.
function afterStored(ctx: ServerContext, room: Room, message: Message): void {
  const work = Promise.all([
    announceMessage(ctx, room).catch((error: unknown) => ctx.report(toChatError(error), { event: 'room:activity' })),
    notifyRecipients(ctx, room, message).catch((error: unknown) => ctx.report(toChatError(error), { event: 'notify' })),
  ]);
  ctx.inflight.add(work);
  void work.then(() => ctx.inflight.delete(work));
}
