import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migration 18: the index that finds a person's commits (chat.exportUser, chat.eraseUser) in the
// e2ee commit log without reading all of it. Built on an existing database: CONCURRENTLY on a
// large log (commits go on meanwhile: no long lock), inside the migration transaction on a small one.

const before18 = MIGRATIONS.filter((m) => m.version < 18);
const TABLES = ['chat_rooms', 'chat_e2ee_groups', 'chat_e2ee_commits', 'chat_e2ee_devices'];

// A database at version 17: room clinic whose log holds `count` commits of bob's, and ana's one.
async function oldDatabase(connectionString: string, count: number): Promise<Record<string, unknown[]>> {
  const old = await databaseAfter(connectionString, before18);
  await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('clinic', '{"encrypted":true}', 0)`);
  await old.query(`INSERT INTO chat_e2ee_groups (room_id, epoch) VALUES ('clinic', $1)`, [count + 1]);
  await old.query(
    `INSERT INTO chat_e2ee_commits (room_id, epoch, commit, user_id, device_id)
     SELECT 'clinic', g, 'Yw==', 'bob', 'laptop' FROM generate_series(0, $1::int - 1) AS g`,
    [count],
  );
  await old.query(
    `INSERT INTO chat_e2ee_commits (room_id, epoch, commit, user_id, device_id) VALUES ('clinic', $1, 'YQ==', 'ana', 'phone')`,
    [count],
  );
  await old.query(
    `INSERT INTO chat_e2ee_devices (room_id, user_id, device_id) VALUES ('clinic', 'bob', 'laptop'), ('clinic', 'ana', 'phone')`,
  );
  const rows = await rowsOf(old, TABLES);
  await old.end();
  return rows;
}

async function commitsIndex(pool: pg.Pool): Promise<boolean | undefined> {
  const { rows } = await pool.query<{ valid: boolean }>(
    `SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass('chat_e2ee_commits_user')`,
  );
  return rows[0]?.valid;
}

/** The plan of the erase's statement on ana's commits (sequential scans off: on a few rows a scan is cheaper). */
async function erasePlan(store: PostgresStore): Promise<string> {
  const client = await store.pool.connect();
  try {
    await client.query('SET enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN UPDATE chat_e2ee_commits SET user_id = 'x', device_id = 'x' WHERE user_id = 'ana'`,
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    client.release();
  }
}

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 18 (e2ee commits by user)', () => {
  const large = useTestSchema();
  const small = useTestSchema();

  it('builds the index CONCURRENTLY on a large log at version 17, keeps every row, and the erase finds a person by it', async () => {
    const before = await oldDatabase(large.connectionString, 12_000);
    const [a, b] = [
      new PostgresStore({ connectionString: large.connectionString }),
      new PostgresStore({ connectionString: large.connectionString }),
    ];
    await Promise.all([a.init(), b.init()]); // two processes starting at once
    const versions = await a.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await commitsIndex(a.pool)).toBe(true);
    expect(await rowsOf(a.pool, TABLES, before)).toEqual(before);
    expect(await erasePlan(a)).toContain('chat_e2ee_commits_user');
    expect((await b.e2ee.userData('ana')).commits).toEqual([{ roomId: 'clinic', epoch: 12_000, deviceId: 'phone' }]);
    expect(await b.e2ee.eraseUser('ana')).toEqual(['clinic']);
    expect((await a.e2ee.listCommits('clinic', 12_000, 1))[0]?.from).toEqual({ userId: 'erased-user', deviceId: 'erased-user' });
    await Promise.all([a.close(), b.close()]);
  });

  it('builds it inside the migration transaction on a small log, waiting for no other transaction', async () => {
    const before = await oldDatabase(small.connectionString, 20);
    // A snapshot held elsewhere in the database: CREATE INDEX CONCURRENTLY would wait for its end.
    const reader = new pg.Client({ connectionString: small.connectionString });
    await reader.connect();
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM chat_rooms');
    const store = new PostgresStore({ connectionString: small.connectionString });
    await store.init();
    expect(await commitsIndex(store.pool)).toBe(true);
    expect(await rowsOf(store.pool, TABLES, before)).toEqual(before);
    expect(await erasePlan(store)).toContain('chat_e2ee_commits_user');
    await reader.query('COMMIT');
    await reader.end();
    await store.close();
  });
});
