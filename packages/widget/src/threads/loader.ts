// The one file of threads/ in the main bundle: it loads the threads chunk (./threads.ts) the first
// time a thread opens ("Reply in thread", or a message's reply count). In chat-room.min.js the
// chunk is chat-room.threads.js, found next to the script (rollup.config.mjs).
import { nothing } from 'lit';
import type { Message } from '@chat/client';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { ThreadHost, ThreadUi } from './threads.js';

/** The thread panel's place in `<chat-room>`: empty until a thread opens. */
export class ThreadSlot {
  readonly #host: ThreadHost;
  readonly #chunk: LazyPart<ThreadUi>;

  constructor(host: ThreadHost, part: LazyPartHost) {
    this.#host = host;
    this.#chunk = new LazyPart(part, () => import('./threads.js').then((m) => m.createThreadUi(host)), 'Threads', 'chat-room.threads.js');
  }

  /** Opens the thread of `message` (of its parent, for a reply shown in the room); focus goes to its text box, and back where it was on close. */
  open(message: Message): void {
    const opener = (this.#host.element.renderRoot as ShadowRoot).activeElement;
    this.#chunk.use((ui) => ui.open(message.threadOf ?? message.id, opener));
  }

  /** The panel, when a thread is open. */
  render(): unknown {
    return this.#chunk.module?.render() ?? nothing;
  }
}
