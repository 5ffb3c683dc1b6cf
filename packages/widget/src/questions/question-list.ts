import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Message, Question } from '@chat/client';
import type { QuestionStrings } from './question-strings.js';

/** A question's message, with its question. */
export type QuestionMessage = Message & { question: Question };

/** What one list of questions needs. */
export interface QuestionListView {
  strings: QuestionStrings;
  questions: readonly QuestionMessage[];
  /** Whether your upvote is on a question. */
  mine: (id: string) => boolean;
  /** A request on a question is under way. */
  busy: (id: string) => boolean;
  /** The user moderates the room: answer and hide buttons, hidden questions shown marked. */
  moderator: boolean;
  /** The room is closed to the user (ended, removed, signed out). */
  disabled: boolean;
  /** Who asked a question, as the list names them: "You" for your own. */
  asker: (m: Message) => string;
  onUpvote: (question: QuestionMessage, on: boolean) => void;
  onAnswer: (question: QuestionMessage, answered: boolean) => void;
  onHide: (question: QuestionMessage, hidden: boolean) => void;
}

/**
 * Most upvotes first; of as many, the first asked first: the server's order of `sort: 'top'`, so
 * that the next page of the list ("Show more") comes after what is shown.
 */
export const byUpvotes = (a: QuestionMessage, b: QuestionMessage): number => b.question.upvotes - a.question.upvotes || a.seq - b.seq;

/**
 * The questions as a list: each one's text (as text), who asked, an upvote toggle (`aria-pressed`,
 * your own pressed, the count in its name) and, for moderators, "Mark answered" and "Hide" (or
 * their undoing). A hidden question, shown to moderators only, says so.
 */
export function renderQuestionList(view: QuestionListView): TemplateResult {
  const { strings } = view;
  return html`<ul class="q-list">
    ${repeat(
      view.questions,
      (m) => m.id,
      (m) => {
        const { upvotes, answered, hidden } = m.question;
        const mine = view.mine(m.id);
        const busy = view.busy(m.id);
        return html`<li class="q-item ${hidden ? 'q-hidden' : ''}" data-id=${m.id}>
          <button
            type="button"
            class="q-up"
            aria-pressed=${String(mine)}
            aria-disabled=${String(busy || view.disabled)}
            @click=${() => !busy && !view.disabled && view.onUpvote(m, !mine)}
          >
            <span class="visually-hidden">${strings.upvoteQuestion(upvotes)}</span><span aria-hidden="true">▲ ${upvotes}</span>
          </button>
          <div class="q-body">
            <p class="q-text" id=${`q-${m.id}`}>${m.text}</p>
            <small><bdi>${view.asker(m)}</bdi>${hidden ? html` · <b class="q-mark">${strings.hiddenMark}</b>` : nothing}</small>
            ${
              view.moderator && !view.disabled
                ? html`<div class="q-tools">
                    <button type="button" aria-describedby=${`q-${m.id}`} ?disabled=${busy} @click=${() => view.onAnswer(m, !answered)}>
                      ${answered ? strings.markUnanswered : strings.markAnswered}
                    </button>
                    <button type="button" aria-describedby=${`q-${m.id}`} ?disabled=${busy} @click=${() => view.onHide(m, !hidden)}>
                      ${hidden ? strings.showQuestion : strings.hideQuestion}
                    </button>
                  </div>`
                : nothing
            }
          </div>
        </li>`;
      },
    )}
  </ul>`;
}
