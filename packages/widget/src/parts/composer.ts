import { html, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';

/** What the composer needs. */
export interface ComposerView {
  strings: ChatStrings;
  disabled: boolean;
  /** A message to send (trimmed, not empty). */
  onSend: (text: string) => void;
  /** The user typed something (throttled by the SDK). */
  onTyping: () => void;
}

const MAX_HEIGHT_PX = 120;

/** The text box and send button: Enter sends, Shift+Enter adds a line, IME composition is respected. */
export function renderComposer(view: ComposerView): TemplateResult {
  const send = (input: HTMLTextAreaElement) => {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    input.style.height = 'auto';
    view.onSend(text);
  };
  const keydown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(event.target as HTMLTextAreaElement);
    }
  };
  const input = (event: Event) => {
    const box = event.target as HTMLTextAreaElement;
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, MAX_HEIGHT_PX)}px`;
    if (box.value.trim()) view.onTyping();
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const box = (event.target as HTMLFormElement).querySelector('textarea');
    if (box) send(box);
  };
  return html`<form part="composer" @submit=${submit}>
    <label class="visually-hidden" for="input">${view.strings.composerLabel}</label>
    <textarea
      id="input"
      part="input"
      rows="1"
      maxlength="4000"
      placeholder=${view.strings.composerPlaceholder}
      ?disabled=${view.disabled}
      @keydown=${keydown}
      @input=${input}
    ></textarea>
    <button part="send-button" class="primary" type="submit" ?disabled=${view.disabled}>${view.strings.send}</button>
  </form>`;
}
