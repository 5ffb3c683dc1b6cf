// What moderated Q&A keeps (the store part `QuestionStore`): each question's state and each
// upvote. Upvote counts are never kept as numbers: they are counted from the upvotes' rows, so
// they are exact whichever process took an upvote. The question as the room sees it is on its
// message (`Message.question`); its text is the message's own, never copied here. A question
// that waits for a moderator's approval has no message yet: it is kept apart with its text.
import type { ChatUser, QuestionSort } from '@chat/protocol';

/** A question as kept: its message, who asked it and when, and what moderators made of it. */
export interface StoredQuestion {
  roomId: string;
  /** The id of the message that carries it (unique across rooms). */
  messageId: string;
  /** Its message's place in the room's log: what orders questions from newest to oldest. */
  seq: number;
  /** Who asked it (a user id). */
  askedBy: string;
  /** When it was asked (ISO 8601). */
  askedAt: string;
  answered: boolean;
  hidden: boolean;
}

/** A question with its exact upvote count. */
export interface CountedQuestion extends StoredQuestion {
  upvotes: number;
}

/** One person's upvote of one question. */
export interface StoredUpvote {
  roomId: string;
  messageId: string;
  userId: string;
  /** When it was given (ISO 8601). */
  upvotedAt: string;
}

/** What an upvote came to: taken, there already (nothing changed), or no such question. */
export type UpvoteOutcome = 'upvoted' | 'already' | 'missing';

/** Which questions of a room `QuestionStore.list` answers, and in which order. */
export interface QuestionQuery {
  /** `top`: most upvotes first (then the first asked first); `new`: the last asked first. */
  sort: QuestionSort;
  /** Whether hidden questions are in (for moderators). */
  hidden: boolean;
  limit: number;
  offset: number;
}

/** A question waiting for a moderator's approval (`questions({ approval: true })`), as kept. */
export interface StoredPendingQuestion {
  id: string;
  roomId: string;
  /** Who asked it, as authenticated then (their roles too: `authorize` sees them at the approval; never sent to others). */
  user: ChatUser;
  /** The asker's idempotency key: a resent ask finds it, and the approved message is posted with it. */
  clientId: string;
  text: string;
  /** When it was asked (ISO 8601). */
  askedAt: string;
}

/** The store part of moderated Q&A. */
export interface QuestionStore {
  /** Keeps a new question; a question of that message kept already stays as it is (a resent ask). */
  create(question: StoredQuestion): Promise<void>;
  /** A question with its upvote count; null when there is none. */
  get(messageId: string): Promise<CountedQuestion | null>;
  /** Adds a person's upvote, in one step with the check that the question exists; a second one changes nothing. */
  upvote(upvote: StoredUpvote): Promise<UpvoteOutcome>;
  /** Takes a person's upvote back; true when there was one. */
  unvote(messageId: string, userId: string): Promise<boolean>;
  /** Marks a question answered or not (nothing for no such question). */
  setAnswered(messageId: string, answered: boolean): Promise<void>;
  /** Hides a question or shows it again (nothing for no such question). */
  setHidden(messageId: string, hidden: boolean): Promise<void>;
  /** A page of a room's questions, with their counts. */
  list(roomId: string, query: QuestionQuery): Promise<CountedQuestion[]>;
  /** The questions of a room a user upvoted, newest upvote first, at most `limit`: their message ids. */
  myUpvotes(roomId: string, userId: string, limit: number): Promise<string[]>;
  /** Every question a user asked, in every room, newest first (their personal data). */
  questionsByUser(userId: string): Promise<StoredQuestion[]>;
  /** Every upvote a user gave, in every room, newest first (their personal data). */
  upvotesByUser(userId: string): Promise<StoredUpvote[]>;
  /** Removes a user's upvotes everywhere; answers the questions whose counts changed. */
  eraseVoter(userId: string): Promise<Array<{ roomId: string; messageId: string }>>;
  /** Removes the questions a user asked, with their upvotes (their messages are deleted by the erase). */
  eraseAsker(userId: string): Promise<void>;
  /** Removes a question and its upvotes (its message was deleted). */
  drop(messageId: string): Promise<void>;
  /** Keeps a waiting question; answers the one kept already for the same room, asker and `clientId` (a resent ask) instead. */
  addPending(question: StoredPendingQuestion): Promise<StoredPendingQuestion>;
  /** A room's waiting questions, oldest first, at most `limit`; with `userId`, that asker's only. */
  pendingIn(roomId: string, limit: number, userId?: string): Promise<StoredPendingQuestion[]>;
  /** How many questions wait in a room; with `userId`, of that asker. */
  pendingCount(roomId: string, userId?: string): Promise<number>;
  /** Removes a waiting question of the room and answers it; null when there is none (reviewed already, or another room's). */
  takePending(roomId: string, id: string): Promise<StoredPendingQuestion | null>;
  /** Every waiting question a user asked, in every room, newest first (their personal data). */
  pendingByUser(userId: string): Promise<StoredPendingQuestion[]>;
  /** Removes the waiting questions a user asked, everywhere; answers the rooms they waited in. */
  erasePending(userId: string): Promise<string[]>;
}

/** The part of QuestionStore that keeps questions waiting for approval. */
export type PendingQuestionStore = Pick<
  QuestionStore,
  'addPending' | 'pendingIn' | 'pendingCount' | 'takePending' | 'pendingByUser' | 'erasePending'
>;
