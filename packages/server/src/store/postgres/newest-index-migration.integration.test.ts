import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migration 14: the index search walks newest first (search-sql.ts), built on an existing database
// without a long lock (CONCURRENTLY on a large table, inside the migration transaction on a small one).

// The release before: every migration up to 13.
const before14 = MIGRATIONS.filter((m) => m.version < 14);
const TABLES = ['chat_rooms', 'chat_messages'];

async function newestIndex(pool: pg.Pool): Promise<{ valid: boolean; definition: string } | undefined> {
  const { rows } = await pool.query<{ valid: boolean; definition: string }>(
    `SELECT i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i WHERE i.indexrelid = to_regclass('chat_messages_newest')`,
  );
  return rows[0];
}

// A database at version 13: room town with `count` messages a second apart, every third deleted
// (as the store leaves one: empty text), every fifth with the word "lantern".
async function oldDatabase(connectionString: string, count: number): Promise<Record<string, unknown[]>> {
  const old = await databaseAfter(connectionString, before14);
  await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('town', '{}', $1)`, [count]);
  await old.query(
    `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, deleted_at)
     SELECT 'm' || g, 'town', g, 'c' || g, 'ana', 'Ana', CASE WHEN g % 3 = 0 THEN '' WHEN g % 5 = 0 THEN 'a lantern ' || g ELSE 'line ' || g END,
            timestamptz '2024-01-01T00:00:00Z' + make_interval(secs => g), CASE WHEN g % 3 = 0 THEN timestamptz '2024-02-01T00:00:00Z' END
     FROM generate_series(1, $1::int) AS g`,
    [count],
  );
  const rows = await rowsOf(old, TABLES);
  await old.end();
  return rows;
}

// The newest `n` lantern messages as the old rows say: what search must answer.
const newestLanterns = (count: number, n: number) =>
  Array.from({ length: count }, (_, i) => count - i)
    .filter((g) => g % 3 !== 0 && g % 5 === 0)
    .slice(0, n)
    .map((g) => `m${g}`);

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 14 (messages newest first)', () => {
  const large = useTestSchema();
  const small = useTestSchema();

  it('builds the index CONCURRENTLY on a large table at version 13, keeps every row, and search walks it', async () => {
    const count = 12_000;
    const before = await oldDatabase(large.connectionString, count);
    const [a, b] = [
      new PostgresStore({ connectionString: large.connectionString }),
      new PostgresStore({ connectionString: large.connectionString }),
    ];
    await Promise.all([a.init(), b.init()]); // two processes starting at once
    expect(
      (await a.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version')).rows.map((r) => r.version),
    ).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await newestIndex(a.pool)).toEqual({ valid: true, definition: expect.stringContaining('WHERE (deleted_at IS NULL)') });
    expect(await rowsOf(a.pool, TABLES)).toEqual(before);
    const page = await b.searchMessages({ roomIds: ['town'], query: 'lantern', limit: 5 });
    expect(page.messages.map((m) => m.id)).toEqual(newestLanterns(count, 5));
    const next = await b.searchMessages({ roomIds: ['town'], query: 'lantern', limit: 5, before: page.next! });
    expect(next.messages.map((m) => m.id)).toEqual(newestLanterns(count, 10).slice(5));
    const plan = await a.pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT id FROM chat_messages WHERE room_id = ANY($1::text[]) AND deleted_at IS NULL
       ORDER BY date_trunc('milliseconds', created_at AT TIME ZONE 'UTC') DESC, room_id COLLATE "C" DESC, seq DESC LIMIT 20`,
      [['town']],
    );
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('chat_messages_newest');
    await Promise.all([a.close(), b.close()]);
  });

  it('builds it inside the migration transaction on a small table, waiting for no other transaction', async () => {
    const before = await oldDatabase(small.connectionString, 40);
    // A snapshot held elsewhere in the database: CREATE INDEX CONCURRENTLY would wait for its end.
    const reader = new pg.Client({ connectionString: small.connectionString });
    await reader.connect();
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM chat_rooms');
    const store = new PostgresStore({ connectionString: small.connectionString });
    await store.init();
    expect(await newestIndex(store.pool)).toMatchObject({ valid: true });
    expect(await rowsOf(store.pool, TABLES)).toEqual(before);
    expect((await store.searchMessages({ roomIds: ['town'], query: 'lantern', limit: 3 })).messages.map((m) => m.id)).toEqual(
      newestLanterns(40, 3),
    );
    await reader.query('COMMIT');
    await reader.end();
    await store.close();
  });
});
