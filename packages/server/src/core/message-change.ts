// The changes a stored message takes (`ChatStore.changeMessage`): an edit, a delete, reactions,
// and what plugins set on it (link previews, a poll, a question).
import type { LinkPreview, Message, Poll, Question, UserRef } from '@chat/protocol';

/**
 * One change to a stored message. Each change that changes something takes the room's next
 * `rev` (see `Message.rev`) and sets it on the message, atomically with the change.
 */
export type MessageChange =
  /** New text (and mentions, replacing the old ones); sets `editedAt`. */
  /** `ciphertext`: an encrypted room's edit replaces the message's ciphertext (its text stays ''). */
  | { type: 'edit'; text: string; mentions?: string[]; ciphertext?: string; at: string }
  /**
   * Empties text, attachments, mentions and reactions; sets `deletedAt`. Deleting a deleted message changes nothing.
   * `author`: erasing the message's author (`chat.eraseUser`, `ERASED_USER`): the placeholder names
   * `author` instead (a deleted message too: it changes unless it names `author` already), the old
   * author takes part in the message's thread no more (`threadParticipants`), and their place in
   * the summary of a reply's parent is `author`'s (the parent takes the next `rev`: `ChangeResult.parent`).
   */
  | { type: 'delete'; at: string; author?: UserRef }
  /**
   * Adds `userId`'s reaction with `emoji` (nothing changes if it is there already). A new emoji
   * on a message that has `maxEmojis` already is refused with `PAYLOAD_TOO_LARGE`.
   */
  | { type: 'react'; emoji: string; userId: string; maxEmojis: number }
  /** Takes `userId`'s reaction with `emoji` back (nothing changes if there is none). */
  | { type: 'unreact'; emoji: string; userId: string }
  /**
   * Sets the message's link previews (`[]`: removed by its sender), only while its text is still
   * `text` and it is not deleted (a late fetch never dresses an edited text); else nothing changes.
   * An edit or a delete takes the previews away.
   */
  | { type: 'previews'; previews: LinkPreview[]; text: string }
  /**
   * Sets the message's poll (the `polls()` plugin: its counts, its closing), unless it is deleted
   * or the poll is this already; else nothing changes. A delete takes it away.
   */
  | { type: 'poll'; poll: Poll }
  /**
   * Sets the message's question (the `questions()` plugin: its upvotes, answered, hidden), unless
   * it is deleted or the question is this already; else nothing changes. A delete takes it away.
   */
  | { type: 'question'; question: Question };

/** The result of `changeMessage`: the message after it, and whether anything changed. */
export interface ChangeResult {
  message: Message;
  /** False when the change left the message as it was (a repeated reaction, a second delete): `rev` did not move. */
  changed: boolean;
  /** A delete with `author` of a reply whose parent's summary named the old author: the parent after it (with its new `rev`). */
  parent?: Message;
}
