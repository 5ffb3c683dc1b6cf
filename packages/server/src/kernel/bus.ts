import { EventEmitter } from 'eventemitter3';
import type { ServerBus } from '../core/bus.js';

/** The server's internal bus: one per chat server, listeners called in order, synchronously. */
export function createServerBus(): ServerBus {
  // Untyped underneath: eventemitter3's typed map cannot express one generic `on` over events of different arguments.
  const emitter = new EventEmitter();
  return {
    on: (event, listener) => void emitter.on(event, listener),
    off: (event, listener) => void emitter.off(event, listener),
    emit: (event, ...args) => void emitter.emit(event, ...args),
  };
}
