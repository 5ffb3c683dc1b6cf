import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { inTransaction } from './transaction.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { waitFor } from '../../../../../test-support/wait.js';

// A connection PostgreSQL drops while the store has it checked out (a restart, a failover,
// pg_terminate_backend): pg emits `error` on it, which throws and ends the process when nobody
// listens. Here the backend is really terminated mid-transaction and mid-retention-batch: the
// caller gets the error, the process goes on, nothing half-done is kept, the next try works.

const user = { id: 'ana', name: 'Ana' };

describe.skipIf(skipWithoutPostgres())('PostgresStore when PostgreSQL drops a connection in use', () => {
  const schema = useTestSchema();
  let admin: pg.Client;
  let store: PostgresStore;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: schema.connectionString });
    await admin.connect();
    store = new PostgresStore({ pool: schema.pool() });
    await store.init();
  });
  afterAll(async () => {
    await admin.end();
  });

  const terminate = async (pid: number) => {
    const { rows } = await admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
    expect(rows[0]?.done).toBe(true);
  };

  it('fails a transaction whose connection is dropped between two statements, and rolls it back', async () => {
    await store.createRoom({ id: 'tx' });
    const attempt = inTransaction(store.pool, async (client) => {
      await client.query(`UPDATE chat_rooms SET title = 'half done' WHERE id = 'tx'`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(rows[0]!.pid);
      // The connection is idle in its transaction here: PostgreSQL closed it while it was checked out.
      await waitFor(async () => {
        const alive = await client.query('SELECT 1').then(
          () => true,
          () => false,
        );
        if (alive) throw new Error('still connected');
      });
      await client.query(`UPDATE chat_rooms SET title = 'never' WHERE id = 'tx'`);
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The connection to the database was lost in the middle of a change: nothing of it was stored. Try again.',
    });
    expect((await store.getRoom('tx'))?.title).toBeUndefined();
    // The pool lends working connections after it: the dropped one was ended, not given back.
    await Promise.all(Array.from({ length: 12 }, () => store.updateRoom('tx', { title: 'after' })));
    expect((await store.getRoom('tx'))?.title).toBe('after');
  });

  it('fails a retention batch whose connection is dropped while it waits, deletes nothing, and the next batch works', async () => {
    await store.createRoom({ id: 'old' });
    for (let i = 1; i <= 6; i++) await store.appendMessage({ roomId: 'old', clientId: `c${i}`, user, text: `m${i}`, attachments: [] });
    const cutoff = new Date(Date.now() + 60_000).toISOString();
    // Another transaction holds the room's row lock: the batch waits for it, in its own transaction.
    const blocker = new pg.Client({ connectionString: schema.connectionString });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM chat_rooms WHERE id = 'old' FOR UPDATE`);
    // Its refusal is caught at once: it can come before the terminate's own answer (under load).
    const batch = store.expireMessages('old', cutoff, 4).then(
      () => undefined,
      (error: unknown) => error,
    );
    const waiting = await waitFor(async () => {
      const { rows } = await admin.query<{ pid: number }>(
        // Waiting on this blocker: another file's statement waiting on a lock of its own is not ours to end.
        `SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)) AND query LIKE '%FOR NO KEY UPDATE%'`,
        [await blockerPid(blocker)],
      );
      if (!rows[0]) throw new Error('not waiting yet');
      return rows[0].pid;
    });
    await terminate(waiting);
    expect(await batch).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('nothing of it was stored') });
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect((await store.listMessages('old', { limit: 10 })).messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    // Retention runs again from where it stopped: the same batch, then the rest.
    expect((await store.expireMessages('old', cutoff, 4)).messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect((await store.expireMessages('old', cutoff, 4)).messages.map((m) => m.text)).toEqual(['m5', 'm6']);
    expect((await store.listMessages('old', { limit: 10 })).messages).toEqual([]);
  });

  it('lets the next process in when the connection holding the retention lock is dropped mid-pass', async () => {
    const other = new PostgresStore({ pool: schema.pool() });
    let ran = false;
    const pass = store.exclusive('retention', async () => {
      // The session holding this schema's retention lock (its two keys as pg_locks shows them, unsigned).
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
           AND classid::text::bigint = (hashtext('chat:retention')::bigint + 4294967296) % 4294967296
           AND objid::text::bigint = (hashtext(current_schema())::bigint + 4294967296) % 4294967296`,
      );
      expect(rows).toHaveLength(1);
      await terminate(rows[0]!.pid);
      // The lock went with its session: another process takes it while this pass is still running.
      await waitFor(async () => {
        if (!(await other.exclusive('retention', async () => void (ran = true)))) throw new Error('still locked');
      });
    });
    await expect(pass).resolves.toBe(true);
    expect(ran).toBe(true);
    // And this process takes it again next time (its dropped connection was not given back).
    await expect(store.exclusive('retention', async () => undefined)).resolves.toBe(true);
  });
});

async function blockerPid(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return rows[0]!.pid;
}
