import { EventEmitter } from 'eventemitter3';
import type { ChatServerEvents } from '../core/server-events.js';
import { guardedListener, type ListenerWrappers } from './guarded-listener.js';

/** What the chat server does around the host's listeners (`setHostEventHooks`). */
interface HostEventHooks {
  /** Before the host's listeners: what the server itself does with the event (bots, webhooks). */
  emitted(event: string, args: readonly unknown[]): void;
  /** A host's listener threw or rejected. */
  failed(event: string, error: unknown): void;
}

const hooks = new WeakMap<HostEvents, HostEventHooks>();

/** Gives a chat server's events their hooks (kept outside the class: no protected member in the public API). */
export function setHostEventHooks(emitter: HostEvents, given: HostEventHooks): void {
  hooks.set(emitter, given);
}

/**
 * The chat server's events for the host (`chat.on`): a listener that throws or rejects is
 * reported, never fails a user's request, leaves a half-joined member behind or ends the process.
 */
export class HostEvents extends EventEmitter<ChatServerEvents> {
  /** The wrappers `on` put around the host's listeners, by listener and event (see `#guarded`). */
  readonly #wrappers: ListenerWrappers = new WeakMap();

  /**
   * Calls the listeners of `event`. One that throws (or rejects) is reported as `INTERNAL` through
   * `chat.on('error')` and the ones after it are skipped: the host's code never fails a request.
   */
  override emit<T extends EventEmitter.EventNames<ChatServerEvents>>(
    event: T,
    ...args: EventEmitter.EventArgs<ChatServerEvents, T>
  ): boolean {
    hooks.get(this)?.emitted(String(event), args);
    try {
      return super.emit(event, ...args);
    } catch (error) {
      hooks.get(this)?.failed(String(event), error);
      return true;
    }
  }

  override on<T extends EventEmitter.EventNames<ChatServerEvents>>(
    event: T,
    listener: EventEmitter.EventListener<ChatServerEvents, T>,
    context?: unknown,
  ): this {
    return super.on(event, this.#guarded(event, listener), context);
  }

  override addListener<T extends EventEmitter.EventNames<ChatServerEvents>>(
    event: T,
    listener: EventEmitter.EventListener<ChatServerEvents, T>,
    context?: unknown,
  ): this {
    return this.on(event, listener, context);
  }

  override once<T extends EventEmitter.EventNames<ChatServerEvents>>(
    event: T,
    listener: EventEmitter.EventListener<ChatServerEvents, T>,
    context?: unknown,
  ): this {
    return super.once(event, this.#guarded(event, listener), context);
  }

  override off<T extends EventEmitter.EventNames<ChatServerEvents>>(
    event: T,
    listener?: EventEmitter.EventListener<ChatServerEvents, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    const wrapped = listener && this.#wrappers.get(listener)?.get(String(event));
    return super.off(event, (wrapped ?? listener) as typeof listener, context, once);
  }

  override removeListener<T extends EventEmitter.EventNames<ChatServerEvents>>(
    event: T,
    listener?: EventEmitter.EventListener<ChatServerEvents, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.off(event, listener, context, once);
  }

  // The listener, wrapped so that an async listener's rejection is reported (facade/guarded-listener.ts).
  #guarded<L>(event: unknown, listener: L): L {
    return guardedListener(this.#wrappers, event, listener, (error) => hooks.get(this)?.failed(String(event), error));
  }
}
