// The one file of call/ in the main bundle: it loads the call chunk (./call.ts) when `calls` is set.
// In chat-room.min.js the chunk is chat-room.call.js, found next to the script (rollup.config.mjs).
import { nothing, type ReactiveController } from 'lit';
import { ChatError, type Member } from '@chat/client';
import type { CallHost, CallSlotName, CallUi } from './call.js';

/** The element with a `calls` attribute. */
type CallsElement = CallHost['element'] & { calls: string | undefined };

/**
 * The call UI's place in `<chat-room>`: loads the chunk the first time `calls` is set, and
 * draws its parts where the element's template asks (nothing until it is loaded, or without `calls`).
 */
export class CallSlot implements ReactiveController {
  readonly #host: Omit<CallHost, 'element'> & { element: CallsElement };
  #ui: CallUi | undefined;
  #loading = false;

  constructor(host: Omit<CallHost, 'element'> & { element: CallsElement }) {
    this.#host = host;
    host.element.addController(this);
  }

  hostUpdate(): void {
    if (this.#host.element.calls == null || this.#loading) return;
    this.#loading = true;
    import('./call.js').then(
      (chunk) => {
        this.#ui = chunk.createCallUi(this.#host);
        this.#host.element.requestUpdate();
      },
      (error: unknown) => {
        // Not tried again on every update: the page reloads to try again.
        const message = 'The call buttons could not be loaded (chat-room.call.js must be served next to chat-room.min.js).';
        this.#host.fail(new ChatError('INTERNAL', message, { cause: error }));
      },
    );
  }

  /** A part of the call UI (the buttons, the banner, the view), or nothing. */
  render(slot: CallSlotName, member?: Member): unknown {
    return this.#host.element.calls == null || !this.#ui ? nothing : this.#ui.render(slot, member);
  }
}
