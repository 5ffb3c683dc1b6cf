// Messages: sends, edits, deletes and reactions over sockets and REST, and the one path every
// message and change takes (the `MessagePort` the other parts reach it by).
import type { Capability } from '../../core/capability.js';
import type { MessagePort } from '../../core/message-ports.js';
import type { ServerContext } from '../../kernel/context.js';
import { changeMessage } from './change-message.js';
import { messageEvents } from './message-events.js';
import { messageRoutes } from './message-routes.js';
import { postMessage } from './post-message.js';

/** The messages capability: its client events and REST routes. */
export function messagesCapability(ctx: () => ServerContext): Capability {
  return { name: 'messages', events: messageEvents(ctx), routes: messageRoutes(ctx) };
}

/** The message path, as bots, commands, calls and the host's API reach it (`ctx.messages`). */
export function messagePort(ctx: () => ServerContext): MessagePort {
  return {
    post: (chatContext, clientId, input, exceptSocketId) => postMessage(ctx(), chatContext, clientId, input, exceptSocketId),
    change: (roomId, messageId, request, actor) => changeMessage(ctx(), roomId, messageId, request, actor),
  };
}
