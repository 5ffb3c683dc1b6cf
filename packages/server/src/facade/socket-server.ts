import type { Server as HttpServer } from 'node:http';
import { Server, type DefaultEventsMap, type Socket } from 'socket.io';
import type { ChatLimits, ClientToServerEvents, ServerToClientEvents } from '@chat/protocol';
import { attachToHttpServer } from '../kernel/connection/attach.js';
import { SocketSession } from '../kernel/connection/socket-session.js';
import type { ChatIO, ChatServerOptions } from '../options.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import type { SignedInData } from './handshake-middleware.js';

/**
 * The Socket.IO server the chat runs on: the host's `options.io`, or one made and attached to
 * `httpServer`, with the function that detaches it.
 */
export function chatIo(
  httpServer: HttpServer | undefined,
  options: ChatServerOptions,
  limits: Readonly<ChatLimits>,
): { io: ChatIO; detach: (() => void) | undefined } {
  if (options.io) return { io: options.io as ChatIO, detach: undefined };
  if (!httpServer) throw new TypeError('createChatServer needs an HTTP server, or an existing Socket.IO server as options.io.');
  const io = new Server<ClientToServerEvents, ServerToClientEvents>({
    maxHttpBufferSize: limits.maxHttpBufferSize,
    ...(options.cors !== undefined && { cors: options.cors }),
    ...(options.path !== undefined && { path: options.path }),
  });
  return { io, detach: attachToHttpServer(io, httpServer) };
}

/** The namespace's `connection` listener: a session per signed-in socket, kept in `sessions` until it disconnects. */
export function connectionHandler(
  ctx: () => CapabilityContext,
  sessions: Map<string, SocketSession>,
): (socket: Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SignedInData>) => void {
  return (socket) => {
    const user = socket.data.user;
    sessions.set(socket.id, new SocketSession(ctx(), socket, user));
    socket.on('disconnect', () => {
      sessions.delete(socket.id);
      // The budget is kept until it has refilled: reconnecting must not reset a rate limit.
      socket.data.releaseSlot();
      socket.data.goOffline?.();
    });
  };
}
