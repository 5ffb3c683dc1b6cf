// The one file of uploads/ in the main bundle: the attach button, paste and drop hand files to it,
// and it loads the uploads chunk (./uploads.ts, with the SDK's upload code) on the first file; a
// click on an image loads the viewer (./viewer.ts). In chat-room.min.js the chunks are
// chat-room.uploads.js and chat-room.viewer.js, found next to the script (rollup.config.mjs).
import { nothing, type ReactiveControllerHost } from 'lit';
import type { Attachment } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { UploadView } from './upload-controller.js';
import type { ImageViewer } from './image-viewer.js';
import type { UploadController } from './uploads.js';

type Element = ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode };

/** The files of the next message, before and after the uploads chunk has loaded. */
export class UploadSlot {
  readonly #element: Element;
  readonly #chunk: LazyPart<UploadController>;
  /** Files picked while the chunk loads: the message waits for them. */
  #waiting = 0;
  /** Counts `clear()`s: files picked before one (another room shown meanwhile) are not uploaded when the chunk comes. */
  #cleared = 0;

  constructor(element: Element, view: UploadView, part: LazyPartHost) {
    this.#element = element;
    const load = () => import('./uploads.js').then((chunk) => chunk.createUploads(element, view));
    this.#chunk = new LazyPart(part, load, 'Sending files', 'chat-room.uploads.js');
  }

  /** Some files are still on their way. */
  get busy(): boolean {
    return this.#waiting > 0 || (this.#chunk.module?.busy ?? false);
  }

  /** Some files are ready to go. */
  get ready(): boolean {
    return this.#chunk.module?.ready ?? false;
  }

  /** Starts uploading `files` (taken now: a paste's or a drop's list is gone once its event is over). */
  add(files: ArrayLike<File>): void {
    const list = Array.from(files);
    if (list.length === 0) return;
    const cleared = this.#cleared;
    this.#waiting++;
    void this.#chunk.load().then((uploads) => {
      this.#waiting = Math.max(0, this.#waiting - 1);
      if (cleared === this.#cleared) uploads?.add(list);
      this.#element.requestUpdate();
    });
  }

  /** The uploaded files, for the message being sent; every file goes. */
  take(): Attachment[] {
    return this.#chunk.module?.take() ?? [];
  }

  /** Drops every file, those still waiting for the chunk too, and a recording (another room, the widget taken out of the page). */
  clear(): void {
    this.#cleared++;
    this.#waiting = 0;
    this.#chunk.module?.clear();
  }

  /** Records a voice message (the microphone button), in the room shown once the chunks are here. */
  record(): void {
    this.#chunk.use((uploads) => uploads.record());
  }

  /**
   * The notice over the widget while files are dragged over it: drawn once the chunk (which holds
   * its styles) is here, fetched by the first drag if no file was picked before.
   */
  dropNotice(strings: ChatStrings): unknown {
    void this.#chunk.load();
    return this.#chunk.module?.dropNotice(strings) ?? nothing;
  }

  /** The tray of files above the text box. */
  render(strings: ChatStrings): unknown {
    return this.#chunk.module?.render(strings) ?? nothing;
  }
}

/** The full-size view of an image, loaded on the first click on one. */
export class ViewerSlot {
  readonly #chunk: LazyPart<ImageViewer>;

  constructor(element: Element, part: LazyPartHost) {
    const load = () => import('./viewer.js').then((chunk) => chunk.createViewer(element));
    this.#chunk = new LazyPart(part, load, 'The image view', 'chat-room.viewer.js');
  }

  /** Shows `attachment` full size; focus goes back to `opener` on close (bound: a thumbnail's click handler). */
  readonly open = (attachment: Attachment, opener: HTMLElement): void => {
    this.#chunk.use((viewer) => viewer.open(attachment, opener));
  };

  render(strings: ChatStrings): unknown {
    return this.#chunk.module?.render(strings) ?? nothing;
  }
}
