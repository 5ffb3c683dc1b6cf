// The one file of threads/ in the main bundle: it loads the threads chunk (./threads.ts) the first
// time a thread opens ("Reply in thread", or a message's reply count). In chat-room.min.js the
// chunk is chat-room.threads.js, found next to the script (rollup.config.mjs).
import { nothing } from 'lit';
import type { FileTarget } from '../parts/attach.js';
import type { Message } from '@chat/client';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import { PickerSlot } from '../pickers/loader.js';
import type { ThreadHost, ThreadUi } from './threads.js';

/** The thread panel's place in `<chat-room>`: empty until a thread opens. */
export class ThreadSlot {
  readonly #host: ThreadHost;
  readonly #chunk: LazyPart<ThreadUi>;

  /** `host.element` also gets the thread composer's `@` and `/` suggestions and its files (its own, from the pickers and uploads chunks). */
  constructor(host: Omit<ThreadHost, 'picker' | '_part'>, part: LazyPartHost) {
    const view: ThreadHost = { ...host, picker: new PickerSlot(host.element, part), _part: part };
    this.#host = view;
    this.#chunk = new LazyPart(part, () => import('./threads.js').then((m) => m.createThreadUi(view)), 'Threads', 'chat-room.threads.js');
  }

  /**
   * Opens the thread of `message` (of its parent, for a reply); focus goes to its text box, and
   * back where it was on close. `found` (a reply a search went to): the reply is shown and focused instead.
   */
  open(message: Message, found?: boolean): void {
    const opener = (this.#host.element.renderRoot as ShadowRoot).activeElement;
    const reply = found === true && message.threadOf !== undefined ? message.id : undefined;
    this.#chunk.use((ui) => ui.open(message.threadOf ?? message.id, opener, reply));
  }

  /** The panel, when a thread is open; `closed`: its composer is closed, as the room's. */
  render(closed = false): unknown {
    return this.#chunk.module?.render(closed) ?? nothing;
  }

  /** Where files dropped at `event` go when they are over the open thread panel (its composer's tray); else undefined. */
  readonly drops = (event: DragEvent): FileTarget | undefined => this.#chunk.module?.dropTarget(event);
}
