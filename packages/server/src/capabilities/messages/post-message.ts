import { builtInError, parsePayload, type Message, type Poll, type Question, type SystemNote, type UserRef } from '@chat/protocol';
import type { ChatContext, MessageInput } from '../../core/policy.js';
import type { CapabilityContext } from '../capability-context.js';
import { keepPresent } from './mentions.js';
import { keepMentionable } from '../../kernel/rooms/mention-targets.js';
import { announce } from './announce.js';
import { messageInput } from '../../core/message-input.js';
import { threadParent } from '../../core/thread-parent.js';
import { checkEncryption } from './encrypted-writes.js';

/**
 * The one path every message takes, from a socket or `chat.sendMessage`: `beforeMessage`,
 * thread check (a reply's id stands for its thread's parent), reply check, mentions kept to users in the room (or its stored members), store (which moves
 * the sender's read mark to it in the same step), broadcast (not to `exceptSocketId`),
 * `chat.on('message')`; then,
 * without holding the answer, `room:activity` to members elsewhere and the `notify` hook.
 * A duplicate (same clientId) is returned as stored and not broadcast again.
 */
export async function postMessage(
  ctx: CapabilityContext,
  chatContext: ChatContext,
  clientId: string,
  {
    uploads = [],
    poll,
    question,
    ...input
  }: MessageInput & { system?: SystemNote; poll?: Poll; question?: Question; uploads?: readonly string[] },
  exceptSocketId?: string,
): Promise<Message> {
  let draft: MessageInput & { system?: SystemNote } = input;
  // A system line (a call started or ended) is the server's own words: no hook rewrites it.
  if (ctx.beforeMessage && input.system === undefined) {
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
    draft = messageInput(checked);
  }
  const { roomId, user } = chatContext;
  if (input.system === undefined) checkEncryption(chatContext.room?.options.encrypted === true, draft.ciphertext !== undefined, 'message');
  // Ephemeral rooms: broadcast, never stored (a meeting whose chat must not be kept).
  const ephemeral = chatContext.room?.options.ephemeral === true;
  const { threadOf: askedThread, alsoInRoom, ...rest } = draft;
  // A reply's id stands for its thread: the store files the reply under the top-level message.
  const threadOf = askedThread === undefined ? undefined : await parentOf(ctx, chatContext, askedThread);
  if (draft.replyTo !== undefined) {
    const found = ephemeral ? await ctx.ephemeral.get(roomId, draft.replyTo) : await ctx.store.getMessage(roomId, draft.replyTo);
    if (!found) throw builtInError('MESSAGE_NOT_FOUND', 'The message you are replying to does not exist in this room.');
  }
  const sender: UserRef = { id: user.id, name: user.name };
  if (user.avatarUrl !== undefined) sender.avatarUrl = user.avatarUrl;
  // Only a bot's own path (chat.bot()) sets it: no socket or authenticate can.
  if (chatContext.bot === true) sender.bot = true;
  const { mentions: asked, ...content } = rest;
  const room = chatContext.room;
  // No mentions asked (most messages): nothing to look up, and no wait before the broadcast.
  const mentions =
    asked === undefined || asked.length === 0 ? [] : room ? await keepMentionable(ctx, room, asked) : await keepPresent(ctx, roomId, asked);
  const messageDraft = {
    roomId,
    clientId,
    user: sender,
    ...content,
    ...(mentions.length > 0 && { mentions }),
    ...(threadOf !== undefined && { threadOf, ...(alsoInRoom === true && { alsoInRoom }) }),
  };
  // The files it carries (an encrypted message's: its declared uploads) are sent and its own: never
  // swept from now on (a file already swept, or another message's, refuses the message).
  if (!ephemeral && (content.attachments.length > 0 || uploads.length > 0))
    await ctx.files.attach(content.attachments, { roomId, clientId, userId: user.id }, uploads);
  const appended = ephemeral ? await ctx.ephemeral.append(messageDraft) : await ctx.store.appendMessage(messageDraft);
  const { duplicate, parent } = appended;
  // A poll or a question (the `polls()` and `questions()` plugins) is set before the room hears of
  // the message: it arrives with it.
  let message = appended.message;
  if (poll && !duplicate && !ephemeral) message = (await ctx.store.changeMessage(roomId, message.id, { type: 'poll', poll })).message;
  if (question && !duplicate && !ephemeral)
    message = (await ctx.store.changeMessage(roomId, message.id, { type: 'question', question })).message;
  if (duplicate) {
    // Another user's key: refuse rather than hand back someone else's message as this one.
    if (message.user.id !== user.id) throw builtInError('VALIDATION_FAILED', 'This clientId is already used by another message.');
    return message;
  }
  // One's own messages are never unread: the store's append moved the sender's mark already.
  announce(ctx, message, { room, parent, ephemeral, exceptSocketId });
  ctx.typing.clear(roomId, user.id);
  return message;
}

/** The thread's top-level message: resolved already when the caller asked `authorize` with it. */
async function parentOf(ctx: CapabilityContext, chatContext: ChatContext, threadOf: string): Promise<string> {
  if (threadOf === chatContext.threadOf) return threadOf;
  const room = chatContext.room ?? (await ctx.rooms.get(chatContext.roomId));
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${chatContext.roomId}".`);
  return threadParent(ctx.store, room, threadOf);
}
