import { html, nothing, type TemplateResult } from 'lit';
import { CLOSE, icon } from '../parts/icons.js';
import type { PollStrings } from './poll-strings.js';

/** Options a poll has at least and at most (the server's `POLL_LIMITS`). */
const MIN_OPTIONS = 2;
const MAX_OPTIONS = 10;

/** What is typed in the form so far. */
export interface PollDraft {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
}

/** An empty form. */
export const emptyDraft = (): PollDraft => ({ question: '', options: ['', ''], multiple: false, anonymous: false });

/** What the form needs. */
export interface PollFormView {
  strings: PollStrings;
  cancel: string;
  draft: PollDraft;
  /** Why the last try was refused, in the widget's language. */
  error: string | undefined;
  busy: boolean;
  /** The draft changed (a field typed in, an option added or removed): draw again. */
  _onChange: () => void;
  /** `focus`: the option whose field gets focus after an option was added or removed. */
  _onOptions: (options: string[], focus: number) => void;
  _onPost: () => void;
  _onCancel: () => void;
}

/**
 * The "New poll" form: the question, 2 to 10 options (added and removed with buttons), whether
 * several choices are allowed and whether the votes are anonymous. Escape cancels.
 */
export function renderPollForm(view: PollFormView): TemplateResult {
  const { strings, draft } = view;
  const options = draft.options;
  const text = (event: Event) => (event.target as HTMLInputElement).value;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!view.busy) view._onPost();
  };
  const keydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    view._onCancel();
  };
  return html`<form id="poll-form" class="poll-form" part="poll-form" aria-label=${strings.newPoll} @submit=${submit} @keydown=${keydown}>
    <label for="poll-question">${strings.pollQuestion}</label>
    <input
      id="poll-question"
      required
      maxlength="300"
      autocomplete="off"
      .value=${draft.question}
      @input=${(event: Event) => ((draft.question = text(event)), view._onChange())}
    />
    <fieldset>
      <legend>${strings.pollOptions}</legend>
      ${options.map(
        (value, i) =>
          html`<div class="poll-row">
            <input
              id=${`poll-option-${i}`}
              required
              maxlength="100"
              autocomplete="off"
              aria-label=${strings.pollOption(i + 1)}
              placeholder=${strings.pollOption(i + 1)}
              .value=${value}
              @input=${(event: Event) => ((options[i] = text(event)), view._onChange())}
            />
            ${
              options.length > MIN_OPTIONS
                ? html`<button
                    type="button"
                    class="icon"
                    aria-label=${strings.removeOption(i + 1)}
                    title=${strings.removeOption(i + 1)}
                    @click=${() =>
                      view._onOptions(
                        options.filter((_, j) => j !== i),
                        Math.min(i, options.length - 2),
                      )}
                  >
                    ${icon(CLOSE)}
                  </button>`
                : nothing
            }
          </div>`,
      )}
      ${
        options.length < MAX_OPTIONS
          ? html`<button type="button" class="poll-add" @click=${() => view._onOptions([...options, ''], options.length)}>
              ${strings.addOption}
            </button>`
          : nothing
      }
    </fieldset>
    <label class="poll-check">
      <input
        type="checkbox"
        .checked=${draft.multiple}
        @change=${(event: Event) => ((draft.multiple = (event.target as HTMLInputElement).checked), view._onChange())}
      />
      ${strings.pollMultiple}
    </label>
    <label class="poll-check">
      <input
        type="checkbox"
        .checked=${draft.anonymous}
        @change=${(event: Event) => ((draft.anonymous = (event.target as HTMLInputElement).checked), view._onChange())}
      />
      ${strings.pollAnonymous}
    </label>
    ${view.error ? html`<p class="poll-error" role="alert">${view.error}</p>` : nothing}
    <div class="poll-foot">
      <button type="submit" class="primary" aria-disabled=${view.busy}>${strings.postPoll}</button>
      <button type="button" @click=${view._onCancel}>${view.cancel}</button>
    </div>
  </form>`;
}
