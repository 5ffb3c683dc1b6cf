import { describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import type { MessageDraft } from '../../core/chat-store.js';
import { APPEND_BATCH_SQL, APPEND_PLAIN_BATCH_SQL } from './append-batch-sql.js';
import { GroupCommit } from './group-commit.js';
import { PostgresStore } from './postgres-store.js';
import { freshRoomId } from '../../testing/store-conformance.js';
import { Gate } from '../../../../../test-support/gate.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Group commit's bounds and costs (issue 29; the survivors of its mutation run, docs/testing.md):
// statements in flight at once, rows per statement, one flush scheduled per turn, and the batch
// sent as one prepared statement that each connection plans once.

const user = { id: 'u', name: 'U' };
const draft = (roomId: string, clientId: string): MessageDraft => ({ roomId, clientId, user, text: clientId, attachments: [] });
const isBatch = (config: unknown): config is pg.QueryConfig<unknown[][]> =>
  typeof config === 'object' && config !== null && [APPEND_BATCH_SQL, APPEND_PLAIN_BATCH_SQL].includes((config as pg.QueryConfig).text);

describe.skipIf(skipWithoutPostgres())('PostgresStore group commit: bounds', () => {
  const schema = useTestSchema();
  async function roomsOn(pool: pg.Pool, n: number): Promise<string[]> {
    const store = new PostgresStore({ pool });
    await store.init();
    const ids = Array.from({ length: n }, () => freshRoomId('gcb'));
    for (const id of ids) await store.createRoom({ id });
    return ids;
  }

  it('sends at most maxRows appends per statement and keeps at most maxInFlight statements out at once', async () => {
    const pool = schema.pool();
    const ids = await roomsOn(pool, 8);
    const gate = new Gate();
    gate.close();
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const query = pool.query.bind(pool) as (config: unknown) => Promise<unknown>;
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- pool.query's overloads include the callback form; group commit calls the promise form only
    vi.spyOn(pool, 'query').mockImplementation(async (config: unknown) => {
      if (!isBatch(config)) return query(config);
      inFlight += 1;
      most = Math.max(most, inFlight);
      sizes.push(config.values?.[0]?.length ?? 0);
      await gate.wait();
      try {
        return await query(config);
      } finally {
        inFlight -= 1;
      }
    });
    const commit = new GroupCommit(pool, { maxRows: 3, maxInFlight: 2 });
    // Eight appends in one turn, one per room (no room waits for another's batch).
    const all = Promise.all(ids.map((id, i) => commit.append(draft(id, `c${i}`))));
    // The flush starts every batch it may at once, in one turn: two of three rows, the third waits.
    await vi.waitFor(() => expect(sizes.length).toBeGreaterThan(0));
    expect(sizes).toEqual([3, 3]);
    expect(inFlight).toBe(2);
    gate.open();
    const results = await all;
    expect(sizes).toEqual([3, 3, 2]);
    expect(most).toBe(2);
    expect(results.map((r) => [r.message.roomId, r.message.seq, r.duplicate])).toEqual(ids.map((id) => [id, 1, false]));
  });

  it('schedules one flush for all the appends of a turn, and one again in a later turn', async () => {
    const pool = schema.pool();
    const ids = await roomsOn(pool, 20);
    // The module takes setImmediate when it loads: load a fresh copy of it under the spy.
    vi.resetModules();
    const scheduled = vi.spyOn(globalThis, 'setImmediate');
    try {
      const fresh = await import('./group-commit.js');
      const commit = new fresh.GroupCommit(pool, { maxRows: 500, maxInFlight: 1 });
      const before = scheduled.mock.calls.length;
      const turn = ids.map((id, i) => commit.append(draft(id, `a${i}`)));
      expect(scheduled.mock.calls.length - before).toBe(1);
      const results = await Promise.all(turn);
      expect(results.every((r) => r.message.seq === 1)).toBe(true);
      // A later turn schedules again (the flag was cleared by the flush).
      const again = scheduled.mock.calls.length;
      const next = ids.slice(0, 5).map((id, i) => commit.append(draft(id, `b${i}`)));
      expect(scheduled.mock.calls.length - again).toBe(1);
      expect((await Promise.all(next)).map((r) => r.message.seq)).toEqual([2, 2, 2, 2, 2]);
    } finally {
      scheduled.mockRestore();
    }
  });

  it('sends the batch as one named prepared statement: a connection prepares it once for all its batches', async () => {
    // Batches without replies or mentions: the plain statement (group-commit-plain.integration.test.ts).
    const ids = await roomsOn(schema.pool(), 3);
    // One connection: every batch and the look at its prepared statements run on it.
    const single = new pg.Pool({ connectionString: schema.connectionString, max: 1 });
    try {
      const commit = new GroupCommit(single, { maxRows: 500, maxInFlight: 1 });
      for (const [i, id] of ids.entries()) await Promise.all([commit.append(draft(id, `x${i}`)), commit.append(draft(id, `y${i}`))]);
      const { rows } = await single.query<{ name: string; statement: string }>(
        'SELECT name, statement FROM pg_prepared_statements WHERE statement = $1',
        [APPEND_PLAIN_BATCH_SQL],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.name).toMatch(/^chat_append_batch_[0-9a-f]{12}$/u);
    } finally {
      await single.end();
    }
  });
});
