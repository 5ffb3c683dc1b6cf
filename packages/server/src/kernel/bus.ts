import { EventEmitter } from 'eventemitter3';
import type { ServerBus, ServerBusEvents } from '../core/bus.js';

/** The server's internal bus: one per chat server, listeners called in order, synchronously. */
export function createServerBus(): ServerBus {
  return new EventEmitter<ServerBusEvents>();
}
