// Calls: start, join, decline, leave and signal (the call service keeps their state, on every
// process of a cluster, and is the `CallsPort` the kernel tells of sockets and rooms that go).
import type { Capability } from '../../core/capability.js';
import { callHandlers } from './call-events.js';
import type { CallService } from './call-service.js';

/** The calls capability: its client events. */
export function callsCapability(calls: CallService): Capability {
  return { name: 'calls', socketHandlers: (caller) => callHandlers(calls, caller) };
}

export { CallService } from './call-service.js';
export type { CallOptions, IceServersOption } from './call-options.js';
