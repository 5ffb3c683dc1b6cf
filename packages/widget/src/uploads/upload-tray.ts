import { html, nothing, type TemplateResult } from 'lit';
import type { UploadDraft } from './upload-draft.js';
import { errorText } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import { CLOSE, icon } from '../parts/icons.js';
import { uploadStrings } from './upload-strings.js';

/**
 * The files of the next message, above the text box: a preview of each image (its name for
 * other files), a progress bar while it uploads, why the server refused it, and a remove button.
 */
export function renderUploadTray(
  drafts: readonly UploadDraft[],
  strings: ChatStrings,
  onRemove: (id: number) => void,
): TemplateResult | typeof nothing {
  if (drafts.length === 0) return nothing;
  const own = uploadStrings(strings);
  return html`<ul class="drafts" aria-label=${own.filesLabel}>
    ${drafts.map(
      (d) =>
        html`<li class=${d.error ? 'refused' : ''}>
          ${d.preview ? html`<img src=${d.preview} alt="" />` : nothing}
          <span class="draft-name">${d.name}</span>
          ${
            d.error
              ? html`<span class="field-error" role="alert">${errorText(strings, d.error, 'file')}</span>`
              : d.attachment
                ? nothing
                : html`<progress max="100" value=${d.percent} aria-label=${own.uploading(d.name)}></progress>`
          }
          <button
            type="button"
            class="icon"
            aria-label=${own.removeFile(d.name)}
            title=${own.removeFile(d.name)}
            @click=${() => onRemove(d.id)}
          >
            ${icon(CLOSE)}
          </button>
        </li>`,
    )}
  </ul>`;
}
