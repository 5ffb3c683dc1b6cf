// The one file of call/ in the main bundle: it loads the call chunk (./call.ts) when `calls` is set.
// In chat-room.min.js the chunk is chat-room.call.js, found next to the script (rollup.config.mjs).
import { nothing, type ReactiveController } from 'lit';
import type { Member } from '@chat/client';
import { LazyPart, type LazyPartHost } from '../lazy-part.js';
import type { CallHost, CallSlotName, CallUi } from './call.js';

/** The element with a `calls` attribute. */
type CallsElement = CallHost['element'] & { calls: string | undefined };

/**
 * The call UI's place in `<chat-room>`: loads the chunk the first time `calls` is set, and
 * draws its parts where the element's template asks (nothing until it is loaded, or without `calls`).
 */
export class CallSlot implements ReactiveController {
  readonly #host: Omit<CallHost, 'element'> & { element: CallsElement };
  readonly #chunk: LazyPart<CallUi>;

  constructor(host: Omit<CallHost, 'element'> & { element: CallsElement }, part: LazyPartHost) {
    this.#host = host;
    const load = () => import('./call.js').then((chunk) => chunk.createCallUi(host));
    this.#chunk = new LazyPart(part, load, 'The call buttons', 'chat-room.call.js');
    host.element.addController(this);
  }

  hostUpdate(): void {
    if (this.#host.element.calls != null && !this.#chunk.module) void this.#chunk.load();
  }

  /** A part of the call UI (the buttons, the banner, the view), or nothing. */
  render(slot: CallSlotName, member?: Member): unknown {
    const ui = this.#chunk.module;
    return this.#host.element.calls == null || !ui ? nothing : ui.render(slot, member);
  }
}
