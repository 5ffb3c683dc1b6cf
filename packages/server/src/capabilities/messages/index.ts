// Messages: sends, edits, deletes and reactions over sockets and REST, and the one path every
// message and change takes (the `MessagePort` the other parts reach it by); messages the store
// stored late are announced here too.
import type { Capability } from '../../core/capability.js';
import type { MessagePort } from '../../core/message-ports.js';
import type { CapabilityContext } from '../capability-context.js';
import { announceStoredLate } from './announce.js';
import { changeMessage } from './change-message.js';
import { messageEvents } from './message-events.js';
import { messageRoutes } from './message-routes.js';
import { postMessage } from './post-message.js';

/** The messages capability: its client events and REST routes. */
export function messagesCapability(ctx: () => CapabilityContext): Capability {
  let stopHearing: (() => void) | undefined;
  let closed = false;
  return {
    name: 'messages',
    events: messageEvents(ctx),
    routes: messageRoutes(ctx),
    // Messages the store answered too late but stored after all: announced once (announce.ts).
    // Asked a turn later: the server hands over its context once it is made.
    listen: () => {
      void Promise.resolve().then(() => {
        if (closed) return;
        stopHearing = ctx().store.onStoredLate?.((message) => void announceStoredLate(ctx(), message));
      });
    },
    close: () => {
      closed = true;
      stopHearing?.();
    },
  };
}

/** The message path, as bots, commands, calls and the host's API reach it (`ctx.messages`). */
export function messagePort(ctx: () => CapabilityContext): MessagePort {
  return {
    post: (chatContext, clientId, input, exceptSocketId) => postMessage(ctx(), chatContext, clientId, input, exceptSocketId),
    change: (roomId, messageId, request, actor) => changeMessage(ctx(), roomId, messageId, request, actor),
  };
}

export { ReactionCoalescer } from './reaction-coalescer.js';
export { changeMessage } from './change-message.js';
export { postMessage } from './post-message.js';
