import type { Server as HttpServer } from 'node:http';
import type { Server } from 'socket.io';

type Listener = (...args: unknown[]) => void;
const EVENTS = ['request', 'upgrade', 'close', 'listening'] as const;

/**
 * Attaches Socket.IO to the host's HTTP server and returns a function that undoes it.
 * engine.io takes over the host's `request` listeners when it attaches; undoing gives them
 * back, so that `chat.close()` leaves the host's server as it found it (and open).
 */
export function attachToHttpServer(io: Server, httpServer: HttpServer): () => void {
  const before = new Map(EVENTS.map((e) => [e, httpServer.listeners(e) as Listener[]]));
  io.attach(httpServer);
  const added = new Map(EVENTS.map((e) => [e, (httpServer.listeners(e) as Listener[]).filter((l) => !before.get(e)?.includes(l))]));
  return () => {
    for (const event of EVENTS) {
      for (const listener of added.get(event) ?? []) httpServer.removeListener(event, listener);
      // engine.io removed the host's request listeners; put back any that are missing, in order.
      const current = httpServer.listeners(event);
      for (const listener of before.get(event) ?? []) {
        if (!current.includes(listener)) httpServer.on(event, listener);
      }
    }
  };
}
