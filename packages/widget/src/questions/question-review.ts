import type { ChatError, ChatRoom } from '@chat/client';
import type { PendingQuestion } from '@chat/protocol';

/** A moderator's questions waiting for approval in the room shown, and their reviews. */
export interface QuestionReview {
  /** The waiting questions listed last, oldest first. */
  questions: readonly PendingQuestion[];
  /** The last review's or listing's error, said. */
  error: string | undefined;
  /** Called as the panel draws for a moderator: lists the room's waiting questions when their count changed. */
  sync(room: ChatRoom): void;
  /** Lists again on the next `sync` (the panel opened). */
  stale(): void;
  /** Approves or rejects a question: out of the list once done, else the error said (and the list asked again). */
  review(room: ChatRoom, question: PendingQuestion, approve: boolean): Promise<void>;
}

/**
 * A moderator's review: the list from the server (`room.questions.pending()`), asked again when
 * the room's waiting count changes, one request at a time (a change meanwhile is seen as the
 * answer draws); `busy` holds the questions whose review is under way.
 */
export function questionReview(redraw: () => void, say: (error: ChatError) => string, busy: Set<string>): QuestionReview {
  let shown: ChatRoom | undefined;
  /** The waiting count the list was asked at (-1: to ask). */
  let listedAt = -1;
  let listing = false;
  const state: QuestionReview = {
    questions: [],
    error: undefined,
    sync(room) {
      if (room !== shown) {
        shown = room;
        state.questions = [];
        state.error = undefined;
        listedAt = -1;
      }
      const count = room.questions.pendingCount;
      if (!count) state.questions = [];
      if (listing || count === listedAt) return;
      listedAt = count;
      if (!count) return;
      listing = true;
      room.questions
        .pending()
        .then(
          (questions) => room === shown && (state.questions = questions),
          (error: ChatError) => room === shown && (state.error = say(error)),
        )
        .finally(() => {
          listing = false;
          redraw();
        });
    },
    stale: () => (listedAt = -1),
    review(room, question, approve) {
      busy.add(question.id);
      state.error = undefined;
      redraw();
      return room.questions
        .review(question.id, approve)
        .then(
          () => void (state.questions = state.questions.filter((q) => q.id !== question.id)),
          (error: ChatError) => {
            state.error = say(error);
            listedAt = -1;
          },
        )
        .finally(() => {
          busy.delete(question.id);
          redraw();
        });
    },
  };
  return state;
}
