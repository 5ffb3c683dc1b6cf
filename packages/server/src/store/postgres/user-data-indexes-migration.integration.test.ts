import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migration 16: the indexes that find a person's rows (chat.exportUser, chat.eraseUser) in
// chat_reactions, chat_standings, chat_audit and chat_reports without reading the whole table.
// Built on an existing database with a writer's transaction open: CONCURRENTLY for the large
// table (writes go on meanwhile), inside the migration transaction for the small ones.

const before16 = MIGRATIONS.filter((m) => m.version < 16);
const INDEXES = ['chat_audit_actor', 'chat_audit_target', 'chat_reactions_user', 'chat_reports_reporter', 'chat_standings_user'];
const TABLES = ['chat_reactions', 'chat_standings', 'chat_audit', 'chat_reports', 'chat_members', 'chat_users'];

// A database at version 15 where ana reacted, has a role, acted as a moderator, was acted upon
// and reported a message; and `filler` reactions of a bot (12,000 make chat_reactions large).
async function oldDatabase(connectionString: string, filler: number): Promise<Record<string, unknown[]>> {
  const old = await databaseAfter(connectionString, before16);
  await old.query(`INSERT INTO chat_rooms (id, options, last_seq, last_rev) VALUES ('town', '{}', $1, 1)`, [2 + filler]);
  await old.query(`INSERT INTO chat_users (id, name) VALUES ('ana', 'Ana'), ('luis', 'Luis')`);
  await old.query(`INSERT INTO chat_members (room_id, user_id) VALUES ('town', 'ana'), ('town', 'luis')`);
  await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text)
    VALUES ('m1', 'town', 1, 'c1', 'luis', 'Luis', 'hola'), ('m2', 'town', 2, 'c2', 'luis', 'Luis', 'buenas')`);
  await old.query(`UPDATE chat_messages SET reactions = '[{"emoji":"👍","count":1,"userIds":["ana"]}]', rev = 1 WHERE id = 'm2'`);
  await old.query(`INSERT INTO chat_reactions (message_id, emoji, user_id, room_id, rev) VALUES ('m2', '👍', 'ana', 'town', 1)`);
  await old.query(
    `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text)
     SELECT 'f' || g, 'town', g + 2, 'f' || g, 'luis', 'Luis', 'filler ' || g FROM generate_series(1, $1::int) g`,
    [filler],
  );
  await old.query(
    `INSERT INTO chat_reactions (message_id, emoji, user_id, room_id, rev) SELECT 'f' || g, '🤖', 'bot', 'town', 1 FROM generate_series(1, $1::int) g`,
    [filler],
  );
  await old.query(`INSERT INTO chat_standings (room_id, user_id, role) VALUES ('town', 'ana', 'moderator')`);
  await old.query(`INSERT INTO chat_audit (room_id, action, actor, target_user_id) VALUES
    ('town', 'mute', '{"id":"ana","name":"Ana"}', 'luis'), ('town', 'role', '{"id":"luis","name":"Luis"}', 'ana')`);
  await old.query(`INSERT INTO chat_reports (room_id, message_id, reporter_id, reporter, reason)
    VALUES ('town', 'm1', 'ana', '{"id":"ana","name":"Ana"}', 'spam')`);
  const rows = await rowsOf(old, TABLES);
  await old.end();
  return rows;
}

async function indexes(pool: pg.Pool): Promise<Record<string, boolean>> {
  const { rows } = await pool.query<{ name: string; valid: boolean }>(
    `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace ORDER BY 1`,
    [INDEXES],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.valid]));
}

const allValid = Object.fromEntries(INDEXES.map((name) => [name, true]));

/** The plan of each statement that finds ana's rows; the small tables' with sequential scans off (on 2 rows a scan is cheaper). */
async function plans(store: PostgresStore): Promise<string[]> {
  const client = await store.pool.connect();
  try {
    const explain = async (sql: string) =>
      (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    const reactions = await explain(`SELECT room_id, message_id, emoji FROM chat_reactions WHERE user_id = 'ana' ORDER BY rev`);
    await client.query('SET enable_seqscan = off');
    return [
      reactions,
      await explain(`DELETE FROM chat_standings WHERE user_id = 'ana'`),
      await explain(`UPDATE chat_audit SET actor = '{}' WHERE actor ->> 'id' = 'ana'`),
      await explain(`UPDATE chat_audit SET target_user_id = 'x' WHERE target_user_id = 'ana'`),
      await explain(`SELECT id FROM chat_reports WHERE reporter_id = 'ana' ORDER BY id`),
    ];
  } finally {
    client.release();
  }
}

describe.skipIf(skipWithoutPostgres())("PostgresStore migration 16 (a person's data by user)", () => {
  const large = useTestSchema();
  const small = useTestSchema();

  it('builds the large table’s index CONCURRENTLY while a writer’s transaction is open, and sends go on meanwhile', async () => {
    const before = await oldDatabase(large.connectionString, 12_000);
    const writer = new pg.Client({ connectionString: large.connectionString });
    await writer.connect();
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO chat_reactions (message_id, emoji, user_id, room_id, rev) VALUES ('m1', '🎉', 'eva', 'town', 2)`);
    const store = new PostgresStore({ connectionString: large.connectionString });
    let initDone = false;
    const init = store.init().then(() => {
      initDone = true;
    });
    // The build has started (and waits for the writer) once it shows in pg_stat_progress_create_index.
    await expect
      .poll(
        async () =>
          (await store.pool.query(`SELECT 1 FROM pg_stat_progress_create_index WHERE relid = to_regclass('chat_reactions')`)).rowCount,
        { timeout: 10_000 },
      )
      .toBe(1);
    // A plain CREATE INDEX would queue behind the open transaction, and every reaction behind it.
    const reacted = await store.changeMessage('town', 'm1', { type: 'react', emoji: '👋', userId: 'luis', maxEmojis: 20 });
    expect(reacted.message.reactions).toEqual({ '👋': { count: 1, userIds: ['luis'] } });
    await store.appendMessage({ roomId: 'town', clientId: 'during', user: { id: 'ana', name: 'Ana' }, text: 'during', attachments: [] });
    expect(initDone).toBe(false);
    await writer.query('COMMIT');
    await writer.end();
    await init;
    expect(await indexes(store.pool)).toEqual(allValid);
    expect(
      (await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version')).rows.map((r) => r.version),
    ).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await rowsOf(store.pool, ['chat_standings', 'chat_audit', 'chat_reports', 'chat_users'], before)).toEqual({
      chat_standings: before['chat_standings'],
      chat_audit: before['chat_audit'],
      chat_reports: before['chat_reports'],
      chat_users: before['chat_users'],
    });
    expect((await store.pool.query(`SELECT count(*)::int AS n FROM chat_reactions`)).rows[0]).toEqual({ n: 12_000 + 3 });
    const [reactions, ...rest] = await plans(store);
    // On the large table the planner takes the index by itself.
    expect(reactions).toContain('chat_reactions_user');
    expect(reactions).not.toContain('Seq Scan');
    expect(rest.join('\n')).toMatch(/chat_standings_user[\s\S]*chat_audit_actor[\s\S]*chat_audit_target[\s\S]*chat_reports_reporter/u);
    expect((await store.userRecords('ana')).reactions).toEqual([{ roomId: 'town', messageId: 'm2', emoji: '👍' }]);
    await store.close();
  });

  it('builds every index inside the migration transaction on small tables, waiting for no other transaction', async () => {
    const before = await oldDatabase(small.connectionString, 20);
    // A snapshot held elsewhere in the database: CREATE INDEX CONCURRENTLY would wait for its end.
    const reader = new pg.Client({ connectionString: small.connectionString });
    await reader.connect();
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM chat_rooms');
    const store = new PostgresStore({ connectionString: small.connectionString });
    await store.init();
    expect(await indexes(store.pool)).toEqual(allValid);
    expect(await rowsOf(store.pool, TABLES, before)).toEqual(before);
    const [, ...found] = await plans(store);
    expect(found.join('\n')).toMatch(/chat_standings_user[\s\S]*chat_audit_actor[\s\S]*chat_audit_target[\s\S]*chat_reports_reporter/u);
    await store.eraseUserRecords('ana');
    expect(
      (await store.pool.query(`SELECT count(*)::int AS n FROM chat_audit WHERE actor ->> 'id' = 'ana' OR target_user_id = 'ana'`)).rows[0],
    ).toEqual({ n: 0 });
    await reader.query('COMMIT');
    await reader.end();
    await store.close();
  });
});
