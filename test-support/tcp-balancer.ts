import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { track } from './tracked.js';

/**
 * A round-robin TCP load balancer on 127.0.0.1, as a test's stand-in for nginx or HAProxy.
 * A backend that refuses the connection is skipped, as a health-checking balancer would.
 */
export async function startBalancer(backendPorts: number[]): Promise<{ url: string; port: number }> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= backendPorts.length) return client.destroy();
      const port = backendPorts[next++ % backendPorts.length] as number;
      const upstream = createConnection({ host: '127.0.0.1', port });
      upstream.once('connect', () => {
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', () => {
        if (!upstream.readyState || upstream.connecting) tryBackend(attempt + 1);
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  track(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port };
}
