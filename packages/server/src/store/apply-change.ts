import type { Message, ReactionSummary } from '@chat/protocol';
import type { MessageChange } from '../core/chat-store.js';
import { renameAuthor } from './erased-author.js';
import {
  copyPoll,
  editChangesNothing,
  messageDeleted,
  samePoll,
  sameQuestion,
  samePreviews,
  storedMentions,
  summarise,
  tooManyEmojis,
} from './message-changes.js';

/**
 * A message as an in-memory holder keeps it: the message without its reaction summary, and
 * every reacting user per emoji (oldest first), so that counts stay exact past the listed ids.
 */
export interface HeldMessage {
  message: Message;
  /** Emoji -> user ids in the order they reacted; emojis in the order they first appeared. */
  reactors: Map<string, string[]>;
}

/** The message with `rev` and its reaction summary, as clients receive it (a copy). */
export function messageOf(held: HeldMessage): Message {
  const { reactions: _drop, ...rest } = held.message;
  const message: Message = { ...rest, user: { ...rest.user }, attachments: rest.attachments.map((a) => ({ ...a })) };
  if (rest.mentions !== undefined) message.mentions = [...rest.mentions];
  if (rest.previews !== undefined) message.previews = rest.previews.map((p) => ({ ...p }));
  if (rest.poll !== undefined) message.poll = copyPoll(rest.poll);
  if (rest.question !== undefined) message.question = { ...rest.question };
  if (held.reactors.size > 0) {
    const reactions: Record<string, ReactionSummary> = {};
    for (const [emoji, userIds] of held.reactors) {
      reactions[emoji] = summarise(userIds, userIds.length);
    }
    message.reactions = reactions;
  }
  return message;
}

/**
 * Applies one change to a held message in place (all but `rev`, which the holder assigns), as
 * the stores do. Returns false when it changes nothing; throws `MESSAGE_NOT_FOUND` for an edit
 * or reaction of a deleted message and `PAYLOAD_TOO_LARGE` for one emoji too many.
 */
export function applyChange(held: HeldMessage, change: MessageChange): boolean {
  const m = held.message;
  const deleted = m.deletedAt !== undefined;
  switch (change.type) {
    case 'edit': {
      if (deleted) throw messageDeleted();
      if (editChangesNothing(m, change)) return false;
      if (m.text !== change.text || change.ciphertext !== undefined) delete m.previews;
      m.text = change.text;
      if (change.ciphertext !== undefined) m.ciphertext = change.ciphertext;
      const mentions = storedMentions(change.mentions);
      if (mentions) m.mentions = mentions;
      else delete m.mentions;
      m.editedAt = change.at;
      return true;
    }
    case 'delete': {
      const renamed = change.author !== undefined && renameAuthor(m, change.author);
      if (deleted) return renamed;
      m.text = '';
      delete m.ciphertext;
      m.attachments = [];
      delete m.mentions;
      delete m.reactions;
      delete m.previews;
      delete m.poll;
      delete m.question;
      held.reactors.clear();
      m.deletedAt = change.at;
      return true;
    }
    case 'react': {
      if (deleted) throw messageDeleted();
      const users = held.reactors.get(change.emoji);
      if (users?.includes(change.userId)) return false;
      if (!users && held.reactors.size >= change.maxEmojis) throw tooManyEmojis(change.maxEmojis);
      if (users) users.push(change.userId);
      else held.reactors.set(change.emoji, [change.userId]);
      return true;
    }
    case 'unreact': {
      const users = held.reactors.get(change.emoji);
      const at = users?.indexOf(change.userId) ?? -1;
      if (!users || at < 0) return false;
      users.splice(at, 1);
      if (users.length === 0) held.reactors.delete(change.emoji);
      return true;
    }
    case 'previews': {
      if (deleted || m.text !== change.text || samePreviews(m.previews, change.previews)) return false;
      m.previews = change.previews.map((p) => ({ ...p }));
      return true;
    }
    case 'poll': {
      if (deleted || samePoll(m.poll, change.poll)) return false;
      m.poll = copyPoll(change.poll);
      return true;
    }
    case 'question': {
      if (deleted || sameQuestion(m.question, change.question)) return false;
      m.question = { ...change.question };
      return true;
    }
  }
}

/** True when both lists hold the same ids in the same order. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
