// In the e2ee chunk (chat-room.e2ee.js, loaded by encrypted rooms only): an encrypted room's files
// in the log. Each is downloaded, checked and decrypted on this device (`client.e2ee.openFile`);
// an image shows from an object URL of its bytes, another file is a link to them, with its name.
// An object URL is given back to the browser once the file is no longer drawn.
import { css, html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Attachment, ChatClient } from '@chat/client';
import { addStyles } from '../add-styles.js';
import { renderFile, type AttachmentsView } from '../parts/attachments.js';
import { icon, LOCK } from '../parts/icons.js';
import { fileStrings, type SealedFileStrings } from './file-strings.js';

/** What the encrypted files ask of the room view. */
export interface SealedFilesView {
  /** The element: it updates when a file is opened, and the files' styles go into its shadow root. */
  _element(): ReactiveControllerHost & { readonly renderRoot: ParentNode };
  /** The widget's client (its `e2ee` opens the files). */
  _client(): ChatClient | undefined;
  /** The host's own texts. */
  _strings(): Partial<SealedFileStrings>;
}

/** A file being opened, opened (`url`: its bytes), or that could not be. */
interface Opening {
  url?: string;
  failed?: boolean;
  readonly abort: AbortController;
}

// The lock in line with the sentence said in place of a file not (yet) opened.
const fileStyles = css`
  .sealed svg {
    vertical-align: -3px;
  }
`;

/** The encrypted files of one `<chat-room>`: each opened while it is drawn, its object URL revoked after. */
export class SealedFiles implements ReactiveController {
  readonly #view: SealedFilesView;
  readonly #files = new Map<string, Opening>();
  /** The files drawn by the update under way. */
  #drawn = new Set<string>();

  constructor(view: SealedFilesView) {
    this.#view = view;
    const element = view._element();
    addStyles(element, fileStyles);
    element.addController(this);
  }

  hostUpdate(): void {
    this.#drawn = new Set();
  }

  /** Files the update did not draw (their message gone, another room) are dropped: their bytes given back. */
  hostUpdated(): void {
    for (const key of this.#files.keys()) if (!this.#drawn.has(key)) this.#drop(key);
  }

  hostDisconnected(): void {
    for (const key of this.#files.keys()) this.#drop(key);
  }

  /** The file as the log shows it: opened (an image or a link), being opened, or a sentence saying it cannot be. */
  render(attachment: Attachment, view: AttachmentsView): TemplateResult {
    const key = `${attachment.url} ${attachment.e2ee?.sha256}`;
    this.#drawn.add(key);
    const file = this.#files.get(key) ?? this.#open(key, attachment);
    if (file.url !== undefined) return renderFile({ ...attachment, url: file.url }, view);
    const strings = fileStrings(this.#view._strings());
    const name = attachment.name ?? view.strings.attachment;
    return html`<span class="file sealed">${icon(LOCK)} ${file.failed ? strings.fileFailed(name) : strings.fileOpening(name)}</span>`;
  }

  #open(key: string, attachment: Attachment): Opening {
    const file: Opening = { abort: new AbortController() };
    this.#files.set(key, file);
    const e2ee = this.#view._client()?.e2ee;
    const opened = e2ee ? e2ee.openFile(attachment, { signal: file.abort.signal }) : Promise.reject(new Error('No e2ee client'));
    opened.then(
      (blob) => {
        if (file.abort.signal.aborted) return;
        file.url = URL.createObjectURL(blob);
        this.#view._element().requestUpdate();
      },
      () => {
        if (file.abort.signal.aborted) return;
        file.failed = true;
        this.#view._element().requestUpdate();
      },
    );
    return file;
  }

  #drop(key: string): void {
    const file = this.#files.get(key);
    this.#files.delete(key);
    file?.abort.abort();
    if (file?.url !== undefined) URL.revokeObjectURL(file.url);
  }
}
