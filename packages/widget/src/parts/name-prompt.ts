import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';

/** What the name prompt needs. */
export interface NamePromptView {
  strings: ChatStrings;
  /** The language of `strings` (see shownLanguage). */
  lang: string;
  /** The frame's direction (see languagesOf). */
  dir: string;
  /** The name in the field (the refused one, after a refusal). */
  name: string | undefined;
  /** The server's reason for refusing the name, if it did. */
  error: string | undefined;
  /** The guest chose a name (trimmed; only blanks are passed as they are, for the server to say why not). */
  onName: (name: string) => void;
}

/** Asks a guest for a name; after a refusal, says why under the field. */
export function renderNamePrompt(view: NamePromptView): TemplateResult {
  const { strings, error } = view;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    // Only blanks: the server says why it refuses them, as for any other name it refuses.
    const value = input.value.trim() || input.value;
    if (value) view.onName(value);
  };
  // The refused name stays in the field, marked invalid and described by the server's reason,
  // which is an alert so a screen reader says it as it appears.
  return html`<section class="frame prompt" lang=${view.lang} dir=${view.dir} aria-label=${strings.chatLabel}>
    <p>${error === undefined ? strings.namePrompt : strings.nameRefused}</p>
    <form part="composer" @submit=${submit}>
      <label class="visually-hidden" for="name">${strings.nameLabel}</label>
      <input
        id="name"
        name="name"
        part="input"
        maxlength="64"
        required
        autocomplete="nickname"
        placeholder=${strings.nameLabel}
        .value=${view.name ?? ''}
        aria-invalid=${error === undefined ? 'false' : 'true'}
        aria-describedby=${error === undefined ? nothing : 'name-error'}
      />
      <button class="primary" type="submit">${strings.join}</button>
    </form>
    ${error === undefined ? nothing : html`<p id="name-error" part="name-error" class="field-error" role="alert">${error}</p>`}
  </section>`;
}
