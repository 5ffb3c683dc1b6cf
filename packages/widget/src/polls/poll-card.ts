import { html, nothing, type TemplateResult } from 'lit';
import type { Message, Poll } from '@chat/client';
import type { PollStrings } from './poll-strings.js';

/** What a poll's card needs. */
export interface PollCardView {
  strings: PollStrings;
  /** The poll's message (its text, the question, is drawn above by the log). */
  message: Message & { poll: Poll };
  /** Your choices as the server has them. */
  mine: readonly string[];
  /** What you picked and have not sent yet (none: your choices). */
  picked: ReadonlySet<string> | undefined;
  /** The message's `tabindex` (0 while its controls are open). */
  tab: number;
  /** You posted it or moderate the room. */
  canClose: boolean;
  /** A vote or a close is under way. */
  busy: boolean;
  /** `closesAt`, formatted. */
  when: (iso: string) => string;
  _onPick: (optionId: string, on: boolean) => void;
  _onVote: () => void;
  _onClose: () => void;
}

/**
 * A poll under its message: a fieldset of radio buttons (checkboxes when several choices are
 * allowed), each option with its votes and share as text and a bar beside it that only shows
 * them; your own choices marked; a Vote button, and "Close poll" for its creator and moderators.
 * Closed: the inputs are off and it says so.
 */
export function renderPollCard(view: PollCardView): TemplateResult {
  const { strings, message, tab } = view;
  const poll = message.poll;
  const mine = new Set(view.mine);
  const chosen = view.picked ?? mine;
  const total = poll.options.reduce((sum, option) => sum + option.votes, 0);
  // The choices differ from those sent (a single-choice poll needs one).
  const changed = (chosen.size > 0 || poll.multiple) && (chosen.size !== mine.size || [...chosen].some((id) => !mine.has(id)));
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (changed && !view.busy) view._onVote();
  };
  const notes = [
    poll.closed ? strings.pollClosed : poll.closesAt ? strings.pollClosesAt(view.when(poll.closesAt)) : '',
    poll.anonymous ? strings.pollAnonymousMark : '',
  ].filter(Boolean);
  return html`<form class="poll ${poll.closed ? 'closed' : ''}" part="poll" @submit=${submit}>
    <fieldset ?disabled=${poll.closed}>
      <legend>${strings.pollLegend(poll.multiple)}</legend>
      ${poll.options.map((option) => {
        const percent = total ? Math.round((option.votes / total) * 100) : 0;
        return html`<label class="poll-option ${mine.has(option.id) ? 'mine' : ''}">
          <input
            type=${poll.multiple ? 'checkbox' : 'radio'}
            name=${`poll-${message.id}`}
            .checked=${chosen.has(option.id)}
            tabindex=${tab}
            @change=${(event: Event) => view._onPick(option.id, (event.target as HTMLInputElement).checked)}
          />
          <span class="poll-text">
            ${option.text}${mine.has(option.id) ? html` <b class="poll-mine">(${strings.yourVote})</b>` : nothing}
          </span>
          <span class="poll-count">${strings.pollResult(option.votes, percent)}</span>
          <span class="poll-bar" aria-hidden="true"><span style="width:${percent}%"></span></span>
        </label>`;
      })}
    </fieldset>
    <div class="poll-foot">
      ${
        poll.closed
          ? nothing
          : html`<button type="submit" class="primary" tabindex=${tab} aria-disabled=${!changed || view.busy}>
              ${mine.size ? strings.changeVote : strings.vote}
            </button>`
      }
      ${
        view.canClose && !poll.closed
          ? html`<button type="button" tabindex=${tab} ?disabled=${view.busy} @click=${view._onClose}>${strings.closePoll}</button>`
          : nothing
      }
      <small>${[strings.pollTotal(total), ...notes].join(' · ')}</small>
    </div>
  </form>`;
}
