import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { PendingQuestion } from '@chat/protocol';
import type { QuestionStrings } from './question-strings.js';

/** A moderator's review of the questions waiting: their buttons, and what they said last. */
interface ReviewTools {
  /** A review of the question is under way. */
  busy: (id: string) => boolean;
  /** The last review's error, said in the widget's language. */
  error: string | undefined;
  /** The room is closed to the user (ended, removed, signed out): no buttons. */
  disabled: boolean;
  onReview: (question: PendingQuestion, approve: boolean) => void;
}

/** What a list of questions waiting for approval needs. */
export interface PendingView {
  strings: QuestionStrings;
  /** Its heading: "Waiting for approval", with the room's count for a moderator. */
  heading: string;
  questions: readonly PendingQuestion[];
  /** A moderator's: who asked each one, and "Approve" and "Reject". Else they are your own, marked as nobody else sees them yet. */
  review?: ReviewTools;
}

/**
 * Questions waiting for approval, above the room's: each one's text (as text), no upvote (nobody
 * can upvote it yet); your own are marked so, a moderator's list says who asked each one and has
 * "Approve" and "Reject", described by the question's text as the answer and hide buttons are.
 */
export function renderPending({ strings, heading, questions, review }: PendingView): TemplateResult {
  return html`<h4 class="q-group">${heading}</h4>
    ${review?.error ? html`<p class="q-error" role="alert">${review.error}</p>` : nothing}
    <ul class="q-list">
      ${repeat(
        questions,
        (q) => q.id,
        (q) =>
          html`<li class="q-item q-wait">
            <div class="q-body">
              <p class="q-text" id=${`qp-${q.id}`}>${q.text}</p>
              <small>${review ? html`<bdi>${q.user.name}</bdi>` : html`<b class="q-mark">${strings.awaitingMark}</b>`}</small>
              ${
                review && !review.disabled
                  ? html`<div class="q-tools">
                      ${[true, false].map(
                        (approve) =>
                          html`<button
                            type="button"
                            aria-describedby=${`qp-${q.id}`}
                            ?disabled=${review.busy(q.id)}
                            @click=${() => review.onReview(q, approve)}
                          >
                            ${approve ? strings.approveQuestion : strings.rejectQuestion}
                          </button>`,
                      )}
                    </div>`
                  : nothing
              }
            </div>
          </li>`,
      )}
    </ul>`;
}
