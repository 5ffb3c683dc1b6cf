// The chunk of questions (chat-room.questions.js): the Questions toggle above the log and its panel
// beside it (over it in a narrow widget): the ask form, the open questions by upvotes, the answered
// ones apart, a moderator's answer and hide buttons, "Show more questions" where the room has more
// than a page. Where questions wait for approval, your own waiting ones above the list, and a
// moderator's list of the room's to approve or reject. Loaded when the room shown offers questions.
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import type { ChatError, ChatRoom, Message } from '@chat/client';
import type { PendingQuestion } from '@chat/protocol';
import { addStyles } from '../add-styles.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { errorText } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import { CLOSE, icon } from '../parts/icons.js';
import { renderPending } from './pending-questions.js';
import { byUpvotes, renderQuestionList, type QuestionListView, type QuestionMessage } from './question-list.js';
import { questionReview } from './question-review.js';
import { questionsEn, type QuestionStrings } from './question-strings.js';
import { questionStyles } from './question-styles.js';

/** What questions need of `<chat-room>`. */
export interface QuestionsHost {
  element: ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode; readonly updateComplete: Promise<boolean> };
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  fail(error: ChatError, line?: boolean): void;
}

/** The toggle and the panel, drawn by the element's template. */
export interface QuestionsUi {
  /** The toggle above the log, with the open questions' count. */
  tab(room: ChatRoom): TemplateResult;
  /** The panel, while open (else nothing). */
  panel(room: ChatRoom, disabled: boolean): TemplateResult | typeof nothing;
}

/** Questions one page of the list asks for (the server's most). */
const PAGE = 100;

const isQuestion = (m: Message): m is QuestionMessage => m.question !== undefined && m.deletedAt === undefined;

/** The Questions tab of `host`'s rooms, its styles added to the element. */
export function createQuestions(host: QuestionsHost): QuestionsUi {
  addStyles(host.element, questionStyles);
  /**
   * Draws again; a question's button that had focus keeps it, though the list moved it (its count
   * changed its place) or drew it anew (it moved to Answered).
   */
  const redraw = () => {
    host.element.requestUpdate();
    const root = host.element.shadowRoot;
    const active = root?.activeElement;
    const id = active?.closest<HTMLElement>('.q-item')?.dataset['id'];
    if (!root || !(active instanceof HTMLElement) || id === undefined) return;
    void host.element.updateComplete.then(() => {
      if (!root.activeElement) (active.isConnected ? active : root.querySelector<HTMLElement>(`[data-id="${id}"] .q-up`))?.focus();
    });
  };
  const texts = (): QuestionStrings => chunkStrings(questionsEn, host.strings());
  const focus = (selector: string) =>
    void host.element.updateComplete.then(() => host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  /** The questions of the room watched, by message id: listed, then kept by its messages. */
  const known = new Map<string, QuestionMessage>();
  const busy = new Set<string>();
  let watched: ChatRoom | undefined;
  let stop: (() => void)[] = [];
  let open = false;
  let draft = '';
  let asking = false;
  let askError: string | undefined;
  /** Said (politely) after a question was sent to wait for approval. */
  let note: string | undefined;
  /**
   * Pages of the list asked so far (each PAGE questions by upvotes), whether the last one was full
   * (the room may have more: "Show more questions"), one under way, and what its answer added,
   * said politely. `listed` counts the lists begun: a page asked before the list was asked again is dropped.
   */
  let pages = 0;
  let more = false;
  let paging = false;
  let added: string | undefined;
  let listed = 0;
  const review = questionReview(redraw, (error) => errorText(host.strings(), error), busy);

  /** A question's new or changed message (one deleted goes). */
  const keep = (m: Message) => {
    if (isQuestion(m)) known.set(m.id, m);
    else known.delete(m.id);
    redraw();
  };
  const list = (room: ChatRoom) => {
    const at = ++listed;
    added = undefined;
    return room.questions.list({ sort: 'top', limit: PAGE }).then(
      (questions) => {
        if (room !== watched || at !== listed) return;
        known.clear();
        for (const m of [...room.messages, ...questions]) if (isQuestion(m)) known.set(m.id, m);
        pages = 1;
        more = questions.length === PAGE;
        redraw();
      },
      (error: ChatError) => host.fail(error),
    );
  };
  /**
   * The next page of the list, after what is shown (the server's order is the list's); focus goes
   * to the first question it added, or stays on the button (none added: to the text box once the
   * button goes), and how many it added is said.
   */
  const showMore = (room: ChatRoom) => {
    if (paging) return;
    const at = listed;
    paging = true;
    added = undefined;
    redraw();
    void room.questions
      .list({ sort: 'top', limit: PAGE, offset: pages * PAGE })
      .then(
        (questions) => {
          if (room !== watched || at !== listed) return undefined;
          const fresh = questions.filter((m): m is QuestionMessage => isQuestion(m) && !known.has(m.id));
          for (const m of questions) if (isQuestion(m)) known.set(m.id, m);
          pages++;
          more = questions.length === PAGE;
          added = texts().moreQuestionsShown(fresh.length);
          const first = fresh.sort((a, b) => Number(a.question.answered) - Number(b.question.answered) || byUpvotes(a, b))[0];
          return first ? `[data-id="${first.id}"] .q-up` : more ? '.q-more' : '#q-input';
        },
        (error: ChatError) => void host.fail(error),
      )
      .then((target) => {
        paging = false;
        redraw();
        if (target) focus(target);
      });
  };
  const watch = (room: ChatRoom) => {
    if (room === watched) return;
    for (const off of stop) off();
    watched = room;
    known.clear();
    open = false;
    more = false;
    askError = undefined;
    note = undefined;
    stop = [room.on('message', keep), room.on('messageUpdated', keep)];
    void list(room);
  };

  /** An upvote (its answer: whether yours is on) or a moderator's change (its answer: the message as stored now). */
  const run = (id: string, request: Promise<Message | boolean>) => {
    busy.add(id);
    redraw();
    request
      .then(
        (m) => typeof m !== 'boolean' && keep(m),
        (error: ChatError) => host.fail(error),
      )
      .finally(() => {
        busy.delete(id);
        redraw();
      });
  };

  const ask = (room: ChatRoom) => {
    if (asking) return;
    const text = draft;
    asking = true;
    askError = undefined;
    note = undefined;
    redraw();
    room.questions
      .ask(text)
      .then(
        (m) => {
          if ('pending' in m) note = texts().sentForReview;
          else keep(m);
          draft = '';
        },
        (error: ChatError) => {
          askError = error.code === 'VALIDATION_FAILED' && !text.trim() ? texts().questionEmpty : errorText(host.strings(), error);
        },
      )
      .finally(() => {
        asking = false;
        redraw();
        focus('#q-input');
      });
  };

  const toggle = (to: boolean) => {
    open = to;
    redraw();
    if (open && watched) void list(watched);
    if (open) review.stale();
    focus(open ? '#q-input' : '.q-tab');
  };
  const keydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    toggle(false);
  };

  const isBusy = (id: string) => busy.has(id);
  /** Where questions wait for approval: a moderator's list of the room's (after a review, focus goes to the first one left, or the text box), or your own. */
  const waitingPart = (room: ChatRoom, strings: QuestionStrings, disabled: boolean) => {
    const { approval, pendingCount, myPending } = room.questions;
    if (!approval) return nothing;
    if (!room.canModerate)
      return myPending.length ? renderPending({ strings, heading: strings.waitingForApproval, questions: myPending }) : nothing;
    review.sync(room);
    const onReview = (question: PendingQuestion, approve: boolean) =>
      void review.review(room, question, approve).then(() => focus(review.questions.length ? '.q-wait button' : '#q-input'));
    return pendingCount
      ? renderPending({
          strings,
          heading: `${strings.waitingForApproval} (${pendingCount})`,
          questions: review.questions,
          review: { busy: isBusy, error: review.error, disabled, onReview },
        })
      : nothing;
  };

  /** The questions the user sees: hidden ones for moderators only. */
  const shown = (room: ChatRoom) => [...known.values()].filter((m) => room.canModerate || !m.question.hidden).sort(byUpvotes);

  return {
    tab(room) {
      watch(room);
      const waiting = shown(room).filter((m) => !m.question.answered).length;
      return html`<div class="q-bar">
        <button type="button" class="q-tab" aria-expanded=${String(open)} aria-controls="questions" @click=${() => toggle(!open)}>
          ${texts().questionsTab(waiting)}
        </button>
      </div>`;
    },

    panel(room, disabled) {
      if (!open || room !== watched) return nothing;
      const strings = texts();
      const all = shown(room);
      const view = (questions: QuestionMessage[]): QuestionListView => ({
        strings,
        questions,
        mine: (id) => room.questions.upvoted(id),
        busy: isBusy,
        moderator: room.canModerate,
        disabled,
        asker: (m) => (m.user.id === room.self?.id ? host.strings().you : m.user.name),
        onUpvote: (m, on) => run(m.id, on ? room.questions.upvote(m.id) : room.questions.unvote(m.id)),
        onAnswer: (m, answered) => run(m.id, room.questions.answer(m.id, answered)),
        onHide: (m, hidden) => run(m.id, room.questions.hide(m.id, hidden)),
      });
      const waiting = all.filter((m) => !m.question.answered);
      const answered = all.filter((m) => m.question.answered);
      const submit = (event: SubmitEvent) => {
        event.preventDefault();
        if (!disabled) ask(room);
      };
      return html`<section id="questions" class="questions" part="questions" aria-labelledby="q-head" @keydown=${keydown}>
        <div class="q-head">
          <h3 id="q-head">${strings.questionsLabel}</h3>
          <button
            type="button"
            class="icon"
            aria-label=${strings.closeQuestions}
            title=${strings.closeQuestions}
            @click=${() => toggle(false)}
          >
            ${icon(CLOSE)}
          </button>
        </div>
        <div class="q-scroll">
          <form class="q-ask" @submit=${submit}>
            <label for="q-input">${strings.yourQuestion}</label>
            <div class="q-row">
              <input
                id="q-input"
                maxlength="500"
                autocomplete="off"
                aria-invalid=${askError ? 'true' : 'false'}
                aria-describedby=${askError ? 'q-error' : nothing}
                ?disabled=${disabled}
                .value=${draft}
                @input=${(event: Event) => (draft = (event.target as HTMLInputElement).value)}
              />
              <button type="submit" class="primary" aria-disabled=${String(asking || disabled)}>${strings.ask}</button>
            </div>
            ${askError ? html`<p id="q-error" class="q-error" role="alert">${askError}</p>` : nothing}
            <p class="q-note" role="status">${note ?? nothing}</p>
          </form>
          ${waitingPart(room, strings, disabled)}
          ${waiting.length ? renderQuestionList(view(waiting)) : answered.length ? nothing : html`<p class="q-none">${strings.noQuestions}</p>`}
          ${
            more && !disabled
              ? html`<button type="button" class="q-more" aria-disabled=${String(paging)} @click=${() => showMore(room)}>
                  ${strings.moreQuestions}
                </button>`
              : nothing
          }
          ${more || added ? html`<p class="visually-hidden" role="status">${added ?? nothing}</p>` : nothing}
          ${
            answered.length
              ? html`<h4 class="q-answered">${strings.answeredQuestions}</h4>
                  ${renderQuestionList(view(answered))}`
              : nothing
          }
        </div>
      </section>`;
    },
  };
}
