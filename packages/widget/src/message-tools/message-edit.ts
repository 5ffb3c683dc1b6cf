import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { toolStrings } from './tool-strings.js';

/** What the inline editor needs. */
export interface MessageEditView {
  strings: ChatStrings;
  /** Unique in the widget (the message's seq): names the hint and error elements. */
  key: number;
  text: string;
  /** Why the last save failed (the server's sentence). */
  error: string | undefined;
  _onSave: (text: string) => void;
  _onCancel: () => void;
}

/** The message as a text box: Enter saves, Shift+Enter adds a line, Escape cancels; a refusal shows under it. */
export function renderMessageEdit(view: MessageEditView): TemplateResult {
  const { strings, key, error } = view;
  const box = (form: HTMLFormElement) => form.querySelector('textarea') as HTMLTextAreaElement;
  const keydown = (event: KeyboardEvent) => {
    const input = event.target as HTMLTextAreaElement;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      view._onSave(input.value);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      view._onCancel();
    }
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    view._onSave(box(event.target as HTMLFormElement).value);
  };
  return html`<form class="edit" @submit=${submit}>
    <textarea
      class="edit-box"
      rows="2"
      maxlength="4000"
      aria-label=${toolStrings(strings).editLabel}
      aria-describedby=${error ? `h${key} x${key}` : `h${key}`}
      aria-invalid=${error ? 'true' : nothing}
      .value=${view.text}
      @keydown=${keydown}
    ></textarea>
    <p class="hint" id=${`h${key}`}>${toolStrings(strings).editHint}</p>
    ${error ? html`<p class="field-error" id=${`x${key}`} role="alert">${error}</p>` : nothing}
    <div>
      <button type="submit" class="primary">${strings.save}</button>
      <button type="button" @click=${view._onCancel}>${strings.cancel}</button>
    </div>
  </form>`;
}
