import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { appendPool } from './append-pool.js';
import { freshRoomId } from '../../testing/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

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
      for (const client of both) client.release();
      expect(modes).toEqual(['force_generic_plan', 'force_generic_plan']);
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
});
