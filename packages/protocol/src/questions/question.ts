// A question as a message carries it (`Message.question`, the `questions()` plugin of
// @chat/server), and its bounds. Apart from the questions' events so that the message type
// imports nothing that imports it.

/** The bounds of moderated Q&A, checked by the server (`VALIDATION_FAILED` naming the field). */
export const QUESTION_LIMITS = {
  /** Longest question, in characters. */
  text: 500,
  /** Most questions one `question:list` answers. */
  list: 100,
  /** Questions `question:list` answers when `limit` is not given. */
  defaultList: 50,
  /** Most waiting questions `question:pending` answers (the oldest first), where questions wait for approval. */
  pending: 100,
  /** Most questions one person may have waiting for approval in a room at once. */
  pendingPerUser: 10,
} as const;

/** A question's state as a message carries it (`Message.question`): the same for everyone in the room. */
export interface Question {
  /** How many people upvoted it now, over every process: exact. */
  upvotes: number;
  /** Marked answered by a moderator (`question:answer`). */
  answered: boolean;
  /**
   * Hidden by a moderator (`question:hide`). The message still reaches everyone, text and all,
   * with this flag: readers' clients leave it out, moderators' show it. `question:list` and
   * `GET /rooms/:id/questions` leave hidden questions out for everyone but moderators.
   */
  hidden: boolean;
}
