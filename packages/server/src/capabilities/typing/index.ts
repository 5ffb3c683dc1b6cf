// Typing indicators: the `typing` event (the tracker that publishes them is made with the
// server's presence parts, facade/cluster-parts.ts).
import type { Capability } from '../../core/capability.js';
import type { ServerContext } from '../../kernel/context.js';
import { typingEvents } from './typing-events.js';

/** The typing capability: its client event. */
export function typingCapability(ctx: () => ServerContext): Capability {
  return { name: 'typing', events: typingEvents(ctx) };
}

export { TypingTracker } from './typing-tracker.js';
