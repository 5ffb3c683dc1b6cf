import {
  builtInError,
  ChatError,
  ID_LIMITS,
  type LinkPreview,
  type Message,
  type Poll,
  type Question,
  type ReactionSummary,
} from '@chat/protocol';
import type { MessageChange } from '../core/chat-store.js';
import { renameAuthor } from './erased-author.js';

// What both stores share about changes to a message: the refusals (same codes, same sentences)
// and how reactions are summarised on `Message.reactions`.

/** The message does not exist in the room (another room's id, an unknown id). */
export function messageNotFound(messageId: string): ChatError {
  return builtInError('MESSAGE_NOT_FOUND', `There is no message "${messageId}" in this room.`);
}

/** An edit or a reaction on a deleted message. */
export function messageDeleted(): ChatError {
  return builtInError('MESSAGE_NOT_FOUND', 'This message was deleted.');
}

/** A new emoji on a message that has `maxEmojis` different ones already. */
export function tooManyEmojis(maxEmojis: number): ChatError {
  return builtInError('PAYLOAD_TOO_LARGE', `A message can have at most ${maxEmojis} different reactions; react with one it has already.`);
}

/** True when an edit would leave text and mentions as they are. */
export function editChangesNothing(message: Message, change: Extract<MessageChange, { type: 'edit' }>): boolean {
  return message.text === change.text && message.ciphertext === change.ciphertext && sameIds(message.mentions ?? [], change.mentions ?? []);
}

/** The mentions to store: none is absent, not an empty list, so that both stores read back alike. */
export function storedMentions(mentions: readonly string[] | undefined): string[] | undefined {
  return mentions && mentions.length > 0 ? [...mentions] : undefined;
}

/** The summary of one emoji: the exact count and the first `ID_LIMITS.reactionUserIds` users, oldest first. */
export function summarise(userIds: Iterable<string>, count: number): ReactionSummary {
  const shown: string[] = [];
  for (const id of userIds) {
    if (shown.length >= ID_LIMITS.reactionUserIds) break;
    shown.push(id);
  }
  return { count, userIds: shown };
}

/** A deep copy of a message: callers must not be able to change what a store holds. */
export function copyMessage(m: Message): Message {
  const copy: Message = { ...m, user: { ...m.user }, attachments: m.attachments.map((a) => ({ ...a })) };
  if (m.mentions !== undefined) copy.mentions = [...m.mentions];
  if (m.system !== undefined) copy.system = { ...m.system };
  if (m.previews !== undefined) copy.previews = m.previews.map((p) => ({ ...p }));
  if (m.poll !== undefined) copy.poll = copyPoll(m.poll);
  if (m.question !== undefined) copy.question = { ...m.question };
  if (m.thread !== undefined) copy.thread = { ...m.thread, participants: m.thread.participants.map((p) => ({ ...p })) };
  if (m.reactions !== undefined) {
    const reactions: Record<string, ReactionSummary> = {};
    for (const [emoji, r] of Object.entries(m.reactions)) reactions[emoji] = { count: r.count, userIds: [...r.userIds] };
    copy.reactions = reactions;
  }
  return copy;
}

/** Emoji -> ids of the users who reacted with it, oldest first (a Set keeps insertion order). */
export type ReactionSets = Map<string, Set<string>>;

/**
 * Applies `change` to a message held in memory, in place (text, `reactions` summary, `deletedAt`),
 * with `reactionsById` holding who reacted to each message by id; returns whether anything
 * changed. Does not touch `rev`: the caller gives the message its room's next rev when it did.
 * Throws the coded refusals of `ChatStore.changeMessage`. Call it with no await between reading
 * the message and storing the result, so that each change is atomic.
 */
export function applyChangeInPlace(message: Message, reactionsById: Map<string, ReactionSets>, change: MessageChange): boolean {
  const deleted = message.deletedAt !== undefined;
  switch (change.type) {
    case 'edit': {
      if (deleted) throw messageDeleted();
      if (editChangesNothing(message, change)) return false;
      // The previews were of the old text: the new text's link is previewed anew.
      if (message.text !== change.text || change.ciphertext !== undefined) delete message.previews;
      message.text = change.text;
      if (change.ciphertext !== undefined) message.ciphertext = change.ciphertext;
      message.editedAt = change.at;
      const mentions = storedMentions(change.mentions);
      if (mentions) message.mentions = mentions;
      else delete message.mentions;
      return true;
    }
    case 'delete': {
      // Erasing its author: the placeholder names `author`, a deleted one too.
      const renamed = change.author !== undefined && renameAuthor(message, change.author);
      if (deleted) return renamed;
      message.text = '';
      delete message.ciphertext;
      message.attachments = [];
      delete message.mentions;
      delete message.reactions;
      delete message.previews;
      delete message.poll;
      delete message.question;
      reactionsById.delete(message.id);
      message.deletedAt = change.at;
      return true;
    }
    case 'react': {
      if (deleted) throw messageDeleted();
      let byEmoji = reactionsById.get(message.id);
      const users = byEmoji?.get(change.emoji);
      if (users?.has(change.userId)) return false;
      if (!users && (byEmoji?.size ?? 0) >= change.maxEmojis) throw tooManyEmojis(change.maxEmojis);
      if (!byEmoji) reactionsById.set(message.id, (byEmoji = new Map<string, Set<string>>()));
      if (users) users.add(change.userId);
      else byEmoji.set(change.emoji, new Set([change.userId]));
      message.reactions = summariseAll(byEmoji);
      return true;
    }
    case 'unreact': {
      const byEmoji = reactionsById.get(message.id);
      const users = byEmoji?.get(change.emoji);
      if (!byEmoji || !users?.delete(change.userId)) return false;
      if (users.size === 0) byEmoji.delete(change.emoji);
      if (byEmoji.size === 0) {
        reactionsById.delete(message.id);
        delete message.reactions;
      } else {
        message.reactions = summariseAll(byEmoji);
      }
      return true;
    }
    case 'previews':
      if (deleted || message.text !== change.text || samePreviews(message.previews, change.previews)) return false;
      message.previews = change.previews.map((p) => ({ ...p }));
      return true;
    case 'poll':
      if (deleted || samePoll(message.poll, change.poll)) return false;
      message.poll = copyPoll(change.poll);
      return true;
    case 'question':
      if (deleted || sameQuestion(message.question, change.question)) return false;
      message.question = { ...change.question };
      return true;
  }
}

/** A poll's deep copy (a store never shares one with its caller). */
export function copyPoll(poll: Poll): Poll {
  return {
    ...poll,
    options: poll.options.map((o) => ({ ...o, ...(o.voterIds !== undefined && { voterIds: [...o.voterIds] }) })),
    myVotes: [...poll.myVotes],
  };
}

/** True when a message's poll is this already. */
export function samePoll(current: Poll | undefined, next: Poll): boolean {
  return current !== undefined && JSON.stringify(current) === JSON.stringify(next);
}

/** True when a message's question is this already. */
export function sameQuestion(current: Question | undefined, next: Question): boolean {
  return current !== undefined && current.upvotes === next.upvotes && current.answered === next.answered && current.hidden === next.hidden;
}

/** True when a message's previews are these already (`undefined`: it has none yet, which `[]` is not). */
export function samePreviews(current: readonly LinkPreview[] | undefined, next: readonly LinkPreview[]): boolean {
  return current !== undefined && JSON.stringify(current) === JSON.stringify(next);
}

function summariseAll(byEmoji: ReactionSets): Record<string, ReactionSummary> {
  const reactions: Record<string, ReactionSummary> = {};
  for (const [emoji, users] of byEmoji) reactions[emoji] = summarise(users, users.size);
  return reactions;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
