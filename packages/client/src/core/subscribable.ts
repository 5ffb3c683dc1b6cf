import { EventEmitter } from 'eventemitter3';

/** A typed event source whose `on()` returns the function that removes the listener. */
export class Subscribable<Events extends object> {
  protected readonly emitter = new EventEmitter<Events, unknown>();

  /** Listens to `event`; call the returned function to stop. */
  on<K extends EventEmitter.EventNames<Events>>(event: K, listener: EventEmitter.EventListener<Events, K>): () => void {
    this.emitter.on(event, listener);
    return () => {
      this.emitter.off(event, listener);
    };
  }

  /** Listens to the next `event` only; call the returned function to stop waiting. */
  once<K extends EventEmitter.EventNames<Events>>(event: K, listener: EventEmitter.EventListener<Events, K>): () => void {
    this.emitter.once(event, listener);
    return () => {
      this.emitter.off(event, listener);
    };
  }
}
