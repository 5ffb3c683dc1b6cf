import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { track } from './tracked.js';

/** A TCP proxy to a server on 127.0.0.1 that a test can make stall; see {@link startStallingProxy}. */
export interface StallingProxy {
  port: number;
  /** `url` with its host and port changed to the proxy's (for a connection string). */
  through(url: string): string;
  /** From now on no byte goes either way, and nothing is closed: a network cut, a frozen server. */
  stall(): void;
  /** Bytes flow again, those held meanwhile first (as TCP delivers them once a cut heals). */
  resume(): void;
}

/**
 * A proxy on 127.0.0.1 port 0 to `targetPort`. While stalled, it accepts connections and keeps
 * every socket open but forwards nothing, nor a close: the other side sees a peer that stopped
 * answering, not one that went away. Closed by the test's cleanup (`track`).
 */
export async function startStallingProxy(targetPort: number): Promise<StallingProxy> {
  const sockets = new Set<Socket>();
  let stalled = false;
  const keep = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (stalled) socket.pause();
  };
  // Paused sockets emit neither `data` nor `end`: what comes meanwhile waits in them, in order.
  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => to.write(chunk));
    from.on('end', () => to.end());
    from.on('error', () => undefined);
    // A reset (not a clean close) is passed on once the proxy runs again.
    from.on('close', () => {
      const pass = () => to.destroy();
      if (!stalled) pass();
      else waiting.push(pass);
    });
  };
  let waiting: Array<() => void> = [];
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    keep(client);
    keep(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  track(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    port,
    through: (url) => {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.href;
    },
    stall: () => {
      stalled = true;
      for (const socket of sockets) socket.pause();
    },
    resume: () => {
      stalled = false;
      for (const socket of sockets) socket.resume();
      const passes = waiting;
      waiting = [];
      // After the held bytes (resume() lets them flow on the next turn).
      setImmediate(() => passes.forEach((pass) => pass()));
    },
  };
}
