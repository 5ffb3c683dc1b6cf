// Questions that wait for a moderator (`questions({ approval: true })` on the server): an asked
// question is kept apart, seen by its asker and the room's moderators only, until a moderator
// approves it (it is then posted as the asker's message, as any question) or rejects it.
import type { Ack } from '../ack.js';
import type { Message } from '../types.js';
import type { UserRef } from '../user.js';

/** A question waiting for a moderator's approval: its asker and the room's moderators see it, nobody else. */
export interface PendingQuestion {
  /** Always true: what tells it from a posted question's message. */
  pending: true;
  /** Its id until it is reviewed (not a message id). */
  id: string;
  roomId: string;
  /** Who asked it. */
  user: UserRef;
  text: string;
  /** When it was asked (ISO 8601). */
  askedAt: string;
}

/** The `question:ask` ack: the question's message, or, where questions wait for approval, the question waiting. */
export type QuestionAskResult = { message: Message } | { pending: PendingQuestion };

/** `question:pending`: the room's questions waiting for approval, oldest first. Moderators only. */
export interface QuestionPendingPayload {
  roomId: string;
}

/** The `question:pending` ack. */
export interface QuestionPendingList {
  pending: PendingQuestion[];
}

/** `question:review`: approves a waiting question (it is posted as its asker's message) or rejects it (it is dropped). Moderators only. */
export interface QuestionReviewPayload {
  roomId: string;
  /** The waiting question's id (`PendingQuestion.id`). */
  questionId: string;
  approve: boolean;
}

/** The `question:review` ack: the question's message when approved. */
export interface QuestionReviewResult {
  message?: Message;
}

/** The client -> server events of questions that wait for approval. */
export interface QuestionReviewClientEvents {
  'question:pending': (payload: QuestionPendingPayload, ack: Ack<QuestionPendingList>) => void;
  'question:review': (payload: QuestionReviewPayload, ack: Ack<QuestionReviewResult>) => void;
}
