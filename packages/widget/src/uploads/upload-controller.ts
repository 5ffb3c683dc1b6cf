import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { LazyPart } from '../lazy-part.js';
import type { VoiceRecorder } from '../voice/recorder.js';
import type { Attachment, ChatError, ChatRoom } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import type { UploadDraft } from './upload-draft.js';
import { uploadStrings } from './upload-strings.js';
import { renderUploadTray } from './upload-tray.js';

/** The element the controller draws in (the recorder focuses its buttons and adds its styles there). */
export type UploadHost = ReactiveControllerHost & HTMLElement & { readonly renderRoot: ParentNode };

/** What the controller asks of the room view. */
export interface UploadView {
  room(): ChatRoom | undefined;
  /** Fires `chat-error`; with `line` false, without the banner line (a draft shows the reason). */
  fail(error: ChatError, line?: false): void;
  /** A thread's composer: the id of the message whose thread is open (absent: the room's composer). */
  threadOf?: () => string | undefined;
}

/**
 * The files of the next message: each one uploads as soon as it is picked (attach button,
 * paste, drop), with its progress; the message takes those uploaded when it is sent.
 */
export class UploadController implements ReactiveController {
  drafts: UploadDraft[] = [];
  readonly #host: ReactiveControllerHost;
  readonly #view: UploadView;
  #id = 0;
  /** Counts `clear()`s: a recording asked for before one (another room shown meanwhile) does not start. */
  #cleared = 0;
  /** The voice recorder (chat-room.recorder.js), fetched by the first press of the microphone button. */
  readonly #recorder: LazyPart<VoiceRecorder>;

  constructor(host: UploadHost, view: UploadView) {
    this.#host = host;
    this.#view = view;
    host.addController(this);
    const part = { requestUpdate: () => host.requestUpdate(), fail: (error: ChatError) => view.fail(error) };
    const load = () =>
      import('../voice/recorder.js').then((chunk) =>
        chunk.createRecorder(host, {
          room: () => view.room(),
          ...(view.threadOf && { threadOf: view.threadOf }),
          fail: (error) => view.fail(error),
        }),
      );
    this.#recorder = new LazyPart(part, load, 'Voice recording', 'chat-room.recorder.js');
  }

  /** Records a voice message (the microphone button), once the recorder's chunk is here. */
  record(): void {
    const cleared = this.#cleared;
    this.#recorder.use((recorder) => cleared === this.#cleared && void recorder.start());
  }

  /** Some files are still on their way. */
  get busy(): boolean {
    return this.drafts.some((d) => !d.attachment && !d.error);
  }

  /** Some files are ready to go. */
  get ready(): boolean {
    return this.drafts.some((d) => d.attachment);
  }

  hostDisconnected(): void {
    this.clear();
  }

  /** Starts uploading `files` for the room shown. */
  add(files: ArrayLike<File>): void {
    const room = this.#view.room();
    if (!room) return;
    for (const file of Array.from(files)) {
      const draft: UploadDraft = {
        id: ++this.#id,
        name: file.name,
        preview: file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined,
        percent: 0,
        abort: new AbortController(),
      };
      this.drafts = [...this.drafts, draft];
      room
        .upload(file, {
          signal: draft.abort.signal,
          onProgress: ({ loaded, total }) => this.#set(draft, { percent: total ? Math.round((100 * loaded) / total) : 100 }),
        })
        .then(
          (attachment) => this.#set(draft, { attachment, percent: 100 }),
          (error: ChatError) => {
            if (draft.abort.signal.aborted) return; // removed by the user
            this.#set(draft, { error });
            this.#view.fail(error, false);
          },
        );
    }
    this.#host.requestUpdate();
  }

  /** The voice recorder while it is on, and the tray of these files, above the text box. */
  render(strings: ChatStrings): TemplateResult {
    return html`${this.#recorder.module?.render(strings)}${renderUploadTray(this.drafts, strings, (id) => this.remove(id))}`;
  }

  /** The notice over the widget while files are dragged over it (its styles came with this chunk). */
  dropNotice(strings: ChatStrings): TemplateResult {
    return html`<div class="drop" aria-hidden="true">${uploadStrings(strings).dropFiles}</div>`;
  }

  /** Takes a file out (cancelling its upload). */
  remove(id: number): void {
    const draft = this.drafts.find((d) => d.id === id);
    if (!draft) return;
    this.#drop(draft);
    this.drafts = this.drafts.filter((d) => d !== draft);
    this.#host.requestUpdate();
  }

  /** The uploaded files, for the message being sent; every draft goes (a recording under way stays). */
  take(): Attachment[] {
    const attachments = this.drafts.flatMap((d) => (d.attachment ? [d.attachment] : []));
    this.#clearDrafts();
    return attachments;
  }

  /** Drops every draft, and lets the microphone go with what it recorded (another room, the widget taken out of the page). */
  clear(): void {
    this.#cleared++;
    this.#clearDrafts();
    this.#recorder.module?.release();
  }

  #clearDrafts(): void {
    for (const draft of this.drafts) this.#drop(draft);
    this.drafts = [];
    this.#host.requestUpdate();
  }

  #drop(draft: UploadDraft): void {
    draft.abort.abort();
    if (draft.preview) URL.revokeObjectURL(draft.preview);
  }

  #set(draft: UploadDraft, change: Partial<UploadDraft>): void {
    if (!this.drafts.includes(draft)) return;
    Object.assign(draft, change);
    this.#host.requestUpdate();
  }
}
