import { html, nothing, type TemplateResult } from 'lit';
import type { ChatStrings } from '../i18n/strings.js';
import { CLIP, icon, MIC } from './icons.js';

/** Where a composer's files go (its `UploadSlot`). */
export interface FileTarget {
  add(files: ArrayLike<File>): void;
}

/**
 * The attach button of a composer with uploads (the room's and a thread's), with the hidden file
 * input it opens (the files picked go to `uploads`), and the microphone button where the browser
 * records (`MediaRecorder`) and the page may ask for the microphone (a secure page): it records a
 * voice message.
 */
export function attachButtons(uploads: FileTarget & { record(): void }, strings: ChatStrings, disabled: boolean): TemplateResult {
  const picked = (event: Event) => {
    const input = event.target as HTMLInputElement;
    uploads.add(input.files as FileList); // a file input's list, empty when nothing was picked
    input.value = '';
  };
  return html`<input type="file" multiple hidden @change=${picked} /><button
      type="button"
      part="attach-button"
      class="icon attach"
      aria-label=${strings.attach}
      title=${strings.attach}
      ?disabled=${disabled}
      @click=${(e: Event) => ((e.currentTarget as HTMLElement).previousElementSibling as HTMLInputElement).click()}
    >
      ${icon(CLIP)}</button
    >${
      self.MediaRecorder && isSecureContext
        ? html`<button
            type="button"
            part="record-button"
            class="icon attach"
            aria-label=${strings.recordVoice}
            title=${strings.recordVoice}
            ?disabled=${disabled}
            @click=${() => uploads.record()}
          >
            ${icon(MIC)}
          </button>`
        : nothing
    }`;
}

/** A composer's text box took a paste: a pasted image (a screenshot) or file is attached; pasted text goes into the box as usual. */
export function pasteFiles(uploads: FileTarget | undefined): (event: ClipboardEvent) => void {
  return (event) => {
    const files = event.clipboardData?.files;
    if (!uploads || !files?.length) return;
    event.preventDefault();
    uploads.add(files);
  };
}
