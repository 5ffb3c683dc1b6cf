import { html, nothing, type TemplateResult } from 'lit';
import type { CommandInfo } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import type { PickerSlot } from '../pickers/loader.js';
import type { MentionCandidate } from '../pickers/mention-picker.js';
import type { UploadSlot } from '../uploads/loader.js';
import { attachButtons, pasteFiles } from './attach.js';
import { CLOSE, icon } from './icons.js';
import { inSentence, QUOTE } from './in-sentence.js';

/** What the composer needs. */
export interface ComposerView {
  strings: ChatStrings;
  disabled: boolean;
  /** Whether `text` (trimmed) can be sent now; it may say why not on the status line. */
  _canSend: (text: string) => boolean;
  /** A message to send (trimmed; empty with files only), with the ids of the people mentioned in it. */
  _onSend: (text: string, mentions: string[]) => void;
  /** The files of the next message, when the widget has uploads (the `uploads` attribute). */
  uploads: UploadSlot | undefined;
  /** The user typed something (`true`, throttled by the SDK), or emptied the box (`false`: others stop seeing "is typing" at once). */
  _onTyping: (active: boolean) => void;
  /** The `@` and `/` suggestions. */
  picker: PickerSlot;
  /** Who `@` offers. */
  people: readonly MentionCandidate[];
  selfId: string | undefined;
  /** The quote of the message being answered ("Ana: hello"), shown above the text box. */
  _replying: string | undefined;
  _onCancelReply: () => void;
  /** The room's commands the `/` suggestions offer. */
  _commandList: readonly CommandInfo[];
  /** Why you cannot write here now ("You are muted"): shown as the placeholder of the text box, which is off. */
  blocked: string | undefined;
}

const MAX_HEIGHT_PX = 120;

/**
 * The text box and send button: Enter sends, Shift+Enter adds a line, IME composition is
 * respected; `@` offers the people here; a reply shows its quote above, Escape or ✕ drops it.
 * With uploads, the attach button and, where the browser records (`MediaRecorder`), the microphone's.
 */
export function renderComposer(view: ComposerView): TemplateResult {
  const { strings, picker } = view;
  const disabled = view.disabled || view.blocked !== undefined;
  const send = (input: HTMLTextAreaElement) => {
    const text = input.value.trim();
    if (!view._canSend(text)) return;
    input.value = '';
    input.style.height = 'auto';
    view._onSend(text, picker.take(text));
  };
  const keydown = (event: KeyboardEvent) => {
    const input = event.target as HTMLTextAreaElement;
    if (picker.keydown(event, input)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(input);
    } else if (event.key === 'Escape' && view._replying !== undefined) {
      event.preventDefault();
      view._onCancelReply();
    }
  };
  const input = (event: Event) => {
    const input = event.target as HTMLTextAreaElement;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, MAX_HEIGHT_PX)}px`;
    picker.update(input, { people: view.people, selfId: view.selfId, commands: view._commandList });
    view._onTyping(input.value.trim() !== '');
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).querySelector('textarea');
    if (input) send(input);
  };
  // The list open now, if any: `@` people or `/` commands.
  const open = picker.open;
  const uploads = view.uploads;
  return html`<div class="composer">
    ${
      view._replying === undefined
        ? nothing
        : html`<div class="replying" part="reply-preview">
            <span id="replying">${inSentence(strings.replyingToLabel(QUOTE), view._replying)}</span>
            <button type="button" class="icon" aria-label=${strings.cancelReply} title=${strings.cancelReply} @click=${view._onCancelReply}>
              ${icon(CLOSE)}
            </button>
          </div>`
    }
    ${
      view.blocked === undefined ? nothing : html`<p class="visually-hidden" id="blocked" role="status">${view.blocked}</p>`
    }${picker.render(strings)}${uploads ? uploads.render(strings) : nothing}
    <form part="composer" @submit=${submit}>
      ${uploads ? attachButtons(uploads, strings, disabled) : nothing}
      <label class="visually-hidden" for="input">${strings.composerLabel}</label>
      <textarea
        id="input"
        part="input"
        rows="1"
        maxlength="4000"
        placeholder=${view.blocked ?? strings.composerPlaceholder}
        aria-autocomplete="list"
        aria-controls=${open ? `${open.list}s` : nothing}
        aria-activedescendant=${open ? `${open.list}-${open.active}` : nothing}
        aria-describedby=${view.blocked !== undefined ? 'blocked' : view._replying === undefined ? nothing : 'replying'}
        ?disabled=${disabled}
        @keydown=${keydown}
        @input=${input}
        @paste=${pasteFiles(uploads)}
        @blur=${() => picker.close()}
      ></textarea>
      <button part="send-button" class="primary" type="submit" ?disabled=${disabled}>${strings.send}</button>
    </form>
  </div>`;
}
