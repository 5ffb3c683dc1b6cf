import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { track } from './servers.js';

/** A TCP proxy to PostgreSQL that can go silent, as a frozen database or a network that drops packets does. */
export interface StallingProxy {
  /** `connectionString` with its host and port replaced by the proxy's. */
  url(connectionString: string): string;
  /** From now on no byte goes through, either way, on any connection; sockets stay open (nothing is closed or refused). */
  stall(): void;
  /** New connections go through again. The ones open during the stall stay silent for good, as a partition leaves them. */
  heal(): void;
  /** Connections opened through the proxy so far. */
  readonly opened: number;
}

/** Starts a {@link StallingProxy} on 127.0.0.1 to `target` (host:port of PostgreSQL); closed after the test. */
export async function startStallingProxy(target: { host: string; port: number }): Promise<StallingProxy> {
  let stalled = false;
  let opened = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    opened += 1;
    const link = { silent: stalled };
    const upstream = createConnection(target);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk) => {
        if (!link.silent && !stalled) to.write(chunk);
        else link.silent = true;
      });
      from.on('error', close).on('close', () => {
        sockets.delete(from);
        close();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  track(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url(connectionString) {
      const url = new URL(connectionString);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.href;
    },
    stall() {
      stalled = true;
    },
    heal() {
      stalled = false;
    },
    get opened() {
      return opened;
    },
  };
}
