import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { appendPool } from './append-pool.js';
import { freshRoomId } from '../../testing/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Group commit's own connections (append-pool.ts): named statements on them use their generic
// plan; the store's other connections keep PostgreSQL's choice.

describe.skipIf(skipWithoutPostgres())('PostgresStore append pool', () => {
  const schema = useTestSchema();

  it('sets generic plans on its connections only, and a store made from a connection string appends on them', async () => {
    const pool = appendPool(schema.connectionString, 2);
    try {
      const both = await Promise.all([0, 1].map(() => pool.connect()));
      const modes = await Promise.all(
        both.map(async (client) => (await client.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]?.plan_cache_mode),
      );
      const jit = await Promise.all(both.map(async (client) => (await client.query<{ jit: string }>('SHOW jit')).rows[0]?.jit));
      for (const client of both) client.release();
      expect(modes).toEqual(['force_generic_plan', 'force_generic_plan']);
      expect(jit).toEqual(['off', 'off']);
    } finally {
      await pool.end();
    }
    const url = new URL(schema.connectionString);
    const name = `chat-append-pool-${process.pid}`;
    url.searchParams.set('application_name', name);
    const store = new PostgresStore({ connectionString: url.href, max: 4 });
    try {
      await store.init();
      expect((await store.pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]?.plan_cache_mode).toBe('auto');
      // No JIT compiling on any of its connections (append-pool.ts): the main pool's here, the append pool's above.
      expect((await store.pool.query<{ jit: string }>('SHOW jit')).rows[0]?.jit).toBe('off');
      const roomId = freshRoomId('ap');
      await store.createRoom({ id: roomId });
      const user = { id: 'u', name: 'U' };
      const stored = await Promise.all(
        ['a', 'b', 'c'].map((clientId) => store.appendMessage({ roomId, clientId, user, text: clientId, attachments: [] })),
      );
      expect(stored.map((r) => r.message.seq).sort()).toEqual([1, 2, 3]);
      // The batches ran on connections of this store (its application_name) that are none of its pool's.
      const mains = await Promise.all([0, 1, 2, 3].map(() => store.pool.connect()));
      const mainPids = await Promise.all(
        mains.map(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid),
      );
      const { rows } = await mains[0]!.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%WITH input AS%' AND pid <> pg_backend_pid()`,
        [name],
      );
      for (const c of mains) c.release();
      expect(rows.length).toBeGreaterThanOrEqual(1);
      for (const { pid } of rows) expect(mainPids).not.toContain(pid);
    } finally {
      await store.close();
      await store.close(); // closing twice is harmless
    }
  });

  it('a connection PostgreSQL drops as it becomes ready is refused to the pool, without an error nobody listens to', async () => {
    // PostgreSQL's goodbye (a restart, pg_terminate_backend) can arrive in the same read as the
    // end of the connection's setup; the proxy makes it so. Before the pool had the connection,
    // pg emitted that error with nobody listening: the process ended.
    const proxy = await coalescingProxy(Number(new URL(schema.connectionString).port || 5432));
    const url = new URL(schema.connectionString);
    url.host = `127.0.0.1:${proxy.port}`;
    const name = `chat-append-dropped-${process.pid}`;
    url.searchParams.set('application_name', name);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    track(() => void process.off('uncaughtException', onUncaught));
    const pool = appendPool(url.href, 1);
    track(() => pool.end());
    const admin = new pg.Client({ connectionString: schema.connectionString });
    await admin.connect();
    track(() => admin.end());

    const first = pool.connect();
    // It may fail before the test gets to await it (while the terminate's answer is on its way):
    // handled from the start, so that is no unhandled rejection. The expectation below still reads it.
    first.catch(() => undefined);
    // The backend is ready (its answers held by the proxy): PostgreSQL drops it.
    const pid = await waitFor(async () => {
      const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [name]);
      if (!rows[0]) throw new Error('not connected yet');
      return rows[0].pid;
    });
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect(first).rejects.toThrow();
    expect(uncaught).toEqual([]);
    // The next connection is a good one.
    expect((await pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]?.plan_cache_mode).toBe('force_generic_plan');
  });
});

/**
 * A TCP proxy to PostgreSQL that holds back what the server says on the first connection until
 * the server hangs up, then hands it all to the client in one write; later connections pass through.
 */
async function coalescingProxy(port: number): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  let first = true;
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream);
    if (!first) {
      upstream.pipe(client);
      return;
    }
    first = false;
    const said: Buffer[] = [];
    upstream.on('data', (chunk: Buffer) => said.push(chunk));
    upstream.on('end', () => client.end(Buffer.concat(said)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  track(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port };
}
