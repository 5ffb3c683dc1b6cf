import { ChatError, parsePayload, type Message, type UserRef } from '@chat/protocol';
import type { ChatContext, MessageInput } from '../options.js';
import type { ServerContext } from '../server-context.js';
import { keepPresent } from './mentions.js';

/**
 * The one path every message takes, from a socket or `chat.sendMessage`: `beforeMessage`,
 * reply check, mentions kept to users in the room, store, broadcast (not to `exceptSocketId`),
 * `chat.on('message')`.
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
  const mentions = await keepPresent(ctx, roomId, asked);
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
  ctx.events.emit('message', message);
  return message;
}
