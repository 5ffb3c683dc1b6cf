import { builtInError, parsePayload, toChatError, type Message } from '@chat/protocol';
import { ChatAction, type ChatContext } from '../../core/policy.js';
import { authorizeOrThrow } from '../../kernel/rooms/open-room.js';
import type { CapabilityContext } from '../capability-context.js';
import { ERASED_USER, type MessageChange } from '../../core/chat-store.js';
import { sameList } from '../../store/apply-change.js';
import { keepPresent } from './mentions.js';
import { keepMentionable } from '../../kernel/rooms/mention-targets.js';
import { messageDeleted, messageNotFound } from '../../store/message-changes.js';
import type { ChangeActor, ChangeRequest } from '../../core/message-ports.js';
import { authorOnly, checkEncryption, currentEpoch } from './encrypted-writes.js';

const ACTIONS = {
  edit: ChatAction.MESSAGE_EDIT,
  delete: ChatAction.MESSAGE_DELETE,
  react: ChatAction.REACTION,
  unreact: ChatAction.REACTION,
  // Never asked: previews are the server's own change (no actor user).
  previews: ChatAction.MESSAGE_EDIT,
  // Never asked either: a poll's counts and closing are the server's own change.
  poll: ChatAction.MESSAGE_EDIT,
  // Nor this: a question's upvotes and state are the `questions()` plugin's own change.
  question: ChatAction.MESSAGE_EDIT,
} as const;

/**
 * The one path every change of a message takes (socket, REST, server API): the room and the
 * message as they are, `authorize`, for edits `beforeMessage` and the same checks as a new
 * message, mentions kept to users in the room, the store (or the ephemeral room's log), then
 * `message:updated` to the room (reactions coalesced) and `chat.on('messageUpdated')`.
 * A change that changes nothing returns the message as it is and sends nothing.
 */
export async function changeMessage(
  ctx: CapabilityContext,
  roomId: string,
  messageId: string,
  request: ChangeRequest,
  actor: ChangeActor,
): Promise<Message> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  // The host may still moderate an ended room's history; its members may not change it.
  if (room.endedAt && actor.user) throw builtInError('ROOM_ENDED', 'This room has ended. Its messages can no longer be changed.');
  const encrypted = room.options.encrypted === true;
  // An encrypted room's edit is ciphertext, never text (and a plain room's never ciphertext).
  if (request.type === 'edit') checkEncryption(encrypted, request.ciphertext !== undefined, 'edit');
  const ephemeral = room.options.ephemeral === true;
  const current = ephemeral ? await ctx.ephemeral.get(roomId, messageId) : await ctx.store.getMessage(roomId, messageId);
  if (!current) throw messageNotFound(messageId);
  if (current.deletedAt !== undefined && request.type !== 'delete') throw messageDeleted();
  // A poll's question is its message's text: its voters chose on it (an edit would leave the old one in
  // `poll.question`). A question's text is what people upvoted, and what a moderator approved.
  if (request.type === 'edit' && current.poll !== undefined) {
    throw builtInError('VALIDATION_FAILED', 'A poll cannot be edited: people voted on its question. Close it and post a new poll.');
  }
  if (request.type === 'edit' && current.question !== undefined) {
    throw builtInError('VALIDATION_FAILED', 'A question cannot be edited: people upvoted it as it was asked. Delete it and ask again.');
  }

  // The host's own changes (no actor user) ask neither `authorize` nor `beforeMessage`.
  const chatContext: ChatContext = { user: actor.user ?? { ...current.user }, roomId, room, message: current };
  if (actor.handshake) chatContext.handshake = actor.handshake;
  if (actor.bot === true) chatContext.bot = true;
  if (actor.user) {
    // Banned and muted users, and frozen rooms (for all below moderator), change nothing but deletes.
    if (request.type === 'delete') await ctx.guard.notBanned(room, actor.user);
    else await ctx.guard.write(room, actor.user, request.type === 'edit' ? 'edit' : 'react');
    const role = request.type === 'delete' ? await ctx.guard.roleForDelete(room, actor.user, current) : undefined;
    if (role) chatContext.role = role;
    await authorizeOrThrow(ctx, ACTIONS[request.type], chatContext);
  }

  if (request.type === 'edit' && request.ciphertext !== undefined) {
    authorOnly(current, actor.user?.id);
    if (request.epoch !== undefined) await currentEpoch(ctx, roomId, request.epoch);
  }
  const change = await toChange(ctx, request, current, chatContext, actor);
  if (!change) return current;
  // A deletion takes the message's files: marked first, removed once the row changed (a crash in
  // between leaves them to the uploads' sweep). Edits never change attachments.
  const files = change.type === 'delete' && !ephemeral && current.deletedAt === undefined ? await ctx.files.release(current) : undefined;
  // A row change that failed may still have been made (a connection lost after the commit): the
  // marks stay, and the sweep drops those whose message the store still has.
  const { message, changed, parent } = ephemeral
    ? await ctx.ephemeral.change(roomId, messageId, change)
    : await ctx.store.changeMessage(roomId, messageId, change);
  await files?.remove().catch((error: unknown) => ctx.report(toChatError(error), { event: 'message:delete' }));
  if (!changed) return message;
  if (change.type === 'react' || change.type === 'unreact') {
    ctx.reactions.changed(message, ephemeral, actor.exceptSocketId);
  } else {
    const target = actor.exceptSocketId ? ctx.nsp.to(roomId).except(actor.exceptSocketId) : ctx.nsp.to(roomId);
    target.emit('message:updated', message);
    ctx.reactions.superseded(message);
  }
  // An erased author's reply: its parent's summary names `ERASED_USER` now (sent as a new reply's summary is).
  if (parent) ctx.reactions.changed(parent, false);
  // A stored message's new text: plugins that read it hear of it (link previews).
  if (change.type === 'edit' && !ephemeral) ctx.bus.emit('message:edited', room, message, current);
  // A stored message deleted: plugins that keep it somewhere let it go (pins).
  if (change.type === 'delete' && !ephemeral) ctx.bus.emit('message:deleted', room, message, current);
  ctx.events.emit('messageUpdated', message);
  // Someone else's message deleted (a moderator, the host): a moderation action, kept in the audit log.
  if (change.type === 'delete' && actor.user?.id !== current.user.id && actor.erasing !== true) await ctx.guard.auditDelete(current, actor);
  return message;
}

// The store's change, or undefined when the request changes nothing (an edit to the same text).
async function toChange(
  ctx: CapabilityContext,
  request: ChangeRequest,
  current: Message,
  chatContext: ChatContext,
  actor: ChangeActor,
): Promise<MessageChange | undefined> {
  const userId = actor.user?.id ?? '';
  switch (request.type) {
    case 'delete':
      // Erasing the author: the placeholder names `ERASED_USER` instead of them.
      return { type: 'delete', at: new Date().toISOString(), ...(actor.erasing === true && { author: { ...ERASED_USER } }) };
    case 'react':
      return { type: 'react', emoji: request.emoji, userId, maxEmojis: ctx.limits.maxReactionsPerMessage };
    case 'unreact':
      return { type: 'unreact', emoji: request.emoji, userId: actor.user ? userId : (request.userId ?? userId) };
    case 'previews':
      return { type: 'previews', previews: request.previews, text: request.text };
    case 'poll':
      return { type: 'poll', poll: request.poll };
    case 'question':
      return { type: 'question', question: request.question };
    case 'edit':
      break;
  }
  let { text, mentions, ciphertext } = request;
  if (ctx.beforeMessage && actor.user) {
    const draft = {
      text,
      ...(ciphertext !== undefined && { ciphertext }),
      attachments: current.attachments.map((a) => ({ ...a })),
      ...(current.replyTo !== undefined && { replyTo: current.replyTo }),
      ...(mentions !== undefined && { mentions: [...mentions] }),
    };
    const rewritten = await ctx.beforeMessage(draft, chatContext);
    // Checked like a client's edit: a hook must not bypass the limits. An edit changes text and
    // mentions only; attachments and replyTo the hook returns are not taken.
    const checked = parsePayload(ctx.schemas['message:edit'], {
      roomId: chatContext.roomId,
      messageId: current.id,
      text: rewritten.text,
      ...(rewritten.mentions !== undefined && { mentions: rewritten.mentions }),
      // An encrypted edit's hook sees '' and the ciphertext: it may refuse it or change mentions, not read it.
      ...(ciphertext !== undefined && { ciphertext: rewritten.ciphertext, epoch: request.epoch }),
    });
    ({ text, mentions, ciphertext } = checked);
    checkEncryption(chatContext.room?.options.encrypted === true, ciphertext !== undefined, 'edit');
  }
  if (ciphertext !== undefined) {
    const kept = chatContext.room
      ? await keepMentionable(ctx, chatContext.room, mentions)
      : await keepPresent(ctx, chatContext.roomId, mentions);
    return { type: 'edit', text: '', mentions: kept, ciphertext, at: new Date().toISOString() };
  }
  if (text.trim().length === 0 && current.attachments.length === 0) {
    throw builtInError('VALIDATION_FAILED', 'A message needs some text or at least one attachment. Delete it instead.');
  }
  const kept = chatContext.room
    ? await keepMentionable(ctx, chatContext.room, mentions)
    : await keepPresent(ctx, chatContext.roomId, mentions);
  if (text === current.text && sameList(kept, current.mentions ?? [])) return undefined;
  return { type: 'edit', text, mentions: kept, at: new Date().toISOString() };
}
