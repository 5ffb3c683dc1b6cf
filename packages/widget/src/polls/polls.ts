// The chunk of polls (chat-room.polls.js): the card under a poll's message (vote, change your
// vote, close it) and the "New poll" form. Loaded when the room shown offers polls (its join answer
// lists them) or a message of the log is a poll.
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { html, nothing } from 'lit';
import type { ChatError, ChatRoom, Message, Poll } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { chunkStrings } from '../i18n/chunk-strings.js';
import { errorText } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderPollCard } from './poll-card.js';
import { emptyDraft, renderPollForm, type PollDraft } from './poll-form.js';
import { pollsEn, type PollStrings } from './poll-strings.js';
import { pollStyles } from './poll-styles.js';

/** What polls need of `<chat-room>`. */
export interface PollsHost {
  element: ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode; readonly updateComplete: Promise<boolean> };
  room(): ChatRoom | undefined;
  strings(): ChatStrings;
  lang(): string;
  fail(error: ChatError, line?: boolean): void;
}

/** The cards and the form, drawn by the element's template. */
export interface PollsUi {
  /** The card of a poll's message (any other message: nothing), with the message's `tabindex`. */
  card(room: ChatRoom, message: Message, tab: number): TemplateResult | typeof nothing;
  /** "New poll" and, once pressed, its form. */
  entry(room: ChatRoom): TemplateResult;
}

/** The polls of `host`'s rooms, their styles added to the element. */
export function createPolls(host: PollsHost): PollsUi {
  addStyles(host.element, pollStyles);
  const redraw = () => host.element.requestUpdate();
  const texts = (): PollStrings => chunkStrings(pollsEn, host.strings());
  /** Choices picked and not sent yet, by message id. */
  const picked = new Map<string, Set<string>>();
  /** Messages with a vote or a close under way. */
  const busy = new Set<string>();
  let draft: PollDraft | undefined;
  let posting = false;
  let formError: string | undefined;
  const when = (iso: string) => new Date(iso).toLocaleString(host.lang(), { dateStyle: 'medium', timeStyle: 'short' });
  const focus = (selector: string) =>
    void host.element.updateComplete.then(() => host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus());

  const run = (id: string, request: Promise<unknown>, done?: () => void) => {
    busy.add(id);
    redraw();
    request
      .then(done, (error: ChatError) => host.fail(error))
      .finally(() => {
        busy.delete(id);
        redraw();
      });
  };

  const pick = (message: Message & { poll: Poll }, mine: readonly string[], optionId: string, on: boolean) => {
    const chosen = message.poll.multiple ? new Set(picked.get(message.id) ?? mine) : new Set<string>();
    if (on) chosen.add(optionId);
    else chosen.delete(optionId);
    picked.set(message.id, chosen);
    redraw();
  };

  const post = (room: ChatRoom, form: PollDraft) => {
    posting = true;
    formError = undefined;
    redraw();
    room.polls
      .create({
        question: form.question.trim(),
        options: form.options.map((o) => o.trim()),
        multiple: form.multiple,
        anonymous: form.anonymous,
      })
      .then(
        () => {
          draft = undefined;
          focus('.poll-new');
        },
        (error: ChatError) => {
          formError = errorText(host.strings(), error);
          focus('#poll-form [role=alert]');
        },
      )
      .finally(() => {
        posting = false;
        redraw();
      });
  };

  const cancel = () => {
    draft = undefined;
    formError = undefined;
    redraw();
    focus('.poll-new');
  };

  return {
    card(room, message, tab) {
      const poll = message.poll;
      if (!poll || message.deletedAt !== undefined) return nothing;
      const withPoll = { ...message, poll };
      const mine = room.polls.myVotes(message.id);
      const own = message.user.id === room.self?.id;
      return renderPollCard({
        strings: texts(),
        message: withPoll,
        mine,
        picked: picked.get(message.id),
        tab,
        canClose: own || room.canModerate,
        busy: busy.has(message.id),
        when,
        _onPick: (optionId, on) => pick(withPoll, mine, optionId, on),
        _onVote: () => {
          const chosen = [...(picked.get(message.id) ?? mine)];
          run(message.id, room.polls.vote(message.id, chosen), () => picked.delete(message.id));
        },
        _onClose: () => run(message.id, room.polls.close(message.id), () => picked.delete(message.id)),
      });
    },

    entry(room) {
      const strings = texts();
      const open = draft !== undefined;
      const toggle = () => {
        if (open) return cancel();
        draft = emptyDraft();
        redraw();
        focus('#poll-question');
      };
      return html`<div class="poll-entry">
        ${
          draft
            ? renderPollForm({
                strings,
                cancel: host.strings().cancel,
                draft,
                error: formError,
                busy: posting,
                _onChange: redraw,
                _onOptions: (options, at) => {
                  if (draft) draft.options = options;
                  redraw();
                  focus(`#poll-option-${at}`);
                },
                _onPost: () => draft && post(room, draft),
                _onCancel: cancel,
              })
            : nothing
        }
        <button type="button" class="poll-new" aria-expanded=${open} aria-controls=${open ? 'poll-form' : nothing} @click=${toggle}>
          ${strings.newPoll}
        </button>
      </div>`;
    },
  };
}
