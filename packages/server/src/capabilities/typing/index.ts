// Typing indicators: the `typing` event (the tracker that publishes them is made with the
// server's presence parts, facade/cluster-parts.ts).
import type { Capability } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import { typingEvents } from './typing-events.js';

/** The typing capability: its client event. */
export function typingCapability(ctx: () => CapabilityContext): Capability {
  return {
    name: 'typing',
    events: typingEvents(ctx),
    // Someone no longer in a room is no longer typing there.
    listen: (bus) => bus.on('presence:left', (roomId, userId) => ctx().typing.clear(roomId, userId)),
  };
}

export { TypingTracker } from './typing-tracker.js';
