// The e2ee session's host over a client socket: requests with acks, and the server's e2ee events.
import { emitRequest, type ChatSocket, type ServerLink } from '../core/transport.js';
import type { E2eeHost } from './e2ee-session.js';

/**
 * An `E2eeHost` on a socket: requests through `request` (a client's, which waits for the
 * connection) or with acks of `timeoutMs`; failed background catch-ups go to `report`.
 */
export function socketE2eeHost(socket: ChatSocket, request: ServerLink['request'] | number, report: (error: unknown) => void): E2eeHost {
  return {
    report,
    request: typeof request === 'number' ? (event, payload) => emitRequest(socket, request, event, payload) : request,
    listen: (event, handler) => {
      // socket.io-client's typed `on` cannot follow a generic event name; the map types the handler.
      const untyped = socket as unknown as { on(e: string, h: unknown): void; off(e: string, h: unknown): void };
      untyped.on(event, handler);
      return () => untyped.off(event, handler);
    },
  };
}
