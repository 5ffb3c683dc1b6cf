// Moderated Q&A (the `questions()` plugin of @chat/server): members ask questions posted as
// messages of the room, upvote them once each, and moderators mark them answered or hide them.
import type { Ack } from '../ack.js';
import type { Message } from '../types.js';
import type { PendingQuestion, QuestionAskResult } from './question-review-events.js';

/** `question:ask`: posts a question as a message of the room (`clientId` makes a resend safe). */
export interface QuestionAskPayload {
  roomId: string;
  clientId: string;
  text: string;
}

/** `question:upvote` and `question:unvote`: which question. Each is idempotent. */
export interface QuestionVotePayload {
  roomId: string;
  messageId: string;
}

/**
 * `question:answer`: marks a question answered (`answered: false` takes it back). Moderators only.
 * With `reply`, the answer is also posted as the moderator's reply in the question's thread.
 */
export interface QuestionAnswerPayload {
  roomId: string;
  messageId: string;
  /** @default true */
  answered?: boolean;
  /** The answer's text, posted in the question's thread (not with `answered: false`). */
  reply?: string;
  /** With `reply` (and required with it): the reply's idempotency key, so a resend posts it once. */
  clientId?: string;
}

/** The `question:answer` ack: the question's message, and the reply posted in its thread when one was given. */
export interface QuestionAnswerResult extends QuestionMessageResult {
  reply?: Message;
}

/** `question:hide`: hides a question (`hidden: false` shows it again). Moderators only. */
export interface QuestionHidePayload {
  roomId: string;
  messageId: string;
  /** @default true */
  hidden?: boolean;
}

/** How `question:list` orders: most upvotes first, or newest first. */
export type QuestionSort = 'top' | 'new';

/** `question:list`: a page of the room's questions. */
export interface QuestionListPayload {
  roomId: string;
  /** @default 'top' */
  sort?: QuestionSort;
  /** At most `QUESTION_LIMITS.list`. @default 50 */
  limit?: number;
  /** Questions to skip (the next page starts where the last ended). @default 0 */
  offset?: number;
}

/** A page of a room's questions: their messages, each with its exact `question` counts. */
export interface QuestionList {
  questions: Message[];
}

/** The question's message, as stored now (`question:answer`, `question:hide`). */
export interface QuestionMessageResult {
  message: Message;
}

/** The `question:upvote` / `question:unvote` ack: whether the asker's upvote is on it now. */
export interface QuestionMyUpvote {
  roomId: string;
  messageId: string;
  upvoted: boolean;
}

/** What the questions plugin adds to a room's join answer (`plugins.questions`). */
export interface QuestionsJoin {
  /** The joining user's upvotes, by message id, newest first. */
  myUpvotes: string[];
  /** Where questions wait for approval: how many wait in the room now (their texts go to moderators only). */
  pending?: number;
  /** Where questions wait for approval: the joining user's own questions waiting, oldest first. */
  myPending?: PendingQuestion[];
}

/**
 * `questions:updated`: part of a room's questions state changed. To a user's sockets: their
 * `myUpvotes` (an upvote on any of their devices) or their `myPending` (asked, approved, rejected);
 * to the whole room: `pending`, the number waiting. The keys it carries replace the state's.
 */
export interface QuestionsUpdated extends Partial<QuestionsJoin> {
  roomId: string;
}

/** The client -> server events of moderated Q&A. */
export interface QuestionClientEvents {
  'question:ask': (payload: QuestionAskPayload, ack: Ack<QuestionAskResult>) => void;
  'question:upvote': (payload: QuestionVotePayload, ack: Ack<QuestionMyUpvote>) => void;
  'question:unvote': (payload: QuestionVotePayload, ack: Ack<QuestionMyUpvote>) => void;
  'question:answer': (payload: QuestionAnswerPayload, ack: Ack<QuestionAnswerResult>) => void;
  'question:hide': (payload: QuestionHidePayload, ack: Ack<QuestionMessageResult>) => void;
  'question:list': (payload: QuestionListPayload, ack: Ack<QuestionList>) => void;
}

/** The server -> client events of moderated Q&A (counts and states come by `message:updated`). */
export interface QuestionServerEvents {
  /**
   * Part of the room's questions state changed: a user's upvotes or waiting questions (to that
   * user's sockets only), or the number of questions waiting (to the room).
   */
  'questions:updated': (event: QuestionsUpdated) => void;
}
