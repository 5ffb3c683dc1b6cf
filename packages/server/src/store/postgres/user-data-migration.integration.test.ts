import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Version 10 needs the search configuration the store prepares, so the old database stops at 9:
// the upgrade then builds 10 and 12 (and whatever comes between) over the same rows.
const before12 = MIGRATIONS.filter((m) => m.version <= 9);
const TABLES = ['chat_rooms', 'chat_messages', 'chat_users', 'chat_members', 'chat_reactions', 'chat_mentions'];

// A database at the schema before version 12 with a person's messages in two rooms, a reaction
// and a membership, and `filler` more messages (10,000 make the index build CONCURRENTLY).
async function oldDatabase(connectionString: string, filler = 0): Promise<pg.Client> {
  const old = await databaseAfter(connectionString, before12);
  await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('town', '{}', $1), ('desk', '{}', 1)`, [2 + filler]);
  await old.query(`INSERT INTO chat_users (id, name) VALUES ('ana', 'Ana'), ('luis', 'Luis')`);
  await old.query(`INSERT INTO chat_members (room_id, user_id, read_seq) VALUES ('town', 'ana', 2), ('desk', 'ana', 1)`);
  await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at)
    VALUES ('m1', 'town', 1, 'c1', 'ana', 'Ana', 'hola', '2024-01-02T00:00:00Z'),
           ('m2', 'town', 2, 'c2', 'luis', 'Luis', 'buenas', '2024-01-03T00:00:00Z'),
           ('m3', 'desk', 1, 'c3', 'ana', 'Ana', 'help', '2024-01-04T00:00:00Z')`);
  await old.query(`INSERT INTO chat_reactions (message_id, emoji, user_id, room_id, rev) VALUES ('m2', '👍', 'ana', 'town', 1)`);
  await old.query(
    `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at)
     SELECT 'f' || g, 'town', g + 2, 'f' || g, 'bot', 'Bot', 'filler ' || g, '2024-01-05T00:00:00Z' FROM generate_series(1, $1::int) g`,
    [filler],
  );
  return old;
}

async function indexValid(pool: pg.Pool): Promise<boolean | undefined> {
  const { rows } = await pool.query<{ valid: boolean }>(
    `SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('chat_messages_user')`,
  );
  return rows[0]?.valid;
}

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 12 (messages by user)', () => {
  const large = useTestSchema();
  const small = useTestSchema();

  for (const [label, schema, filler] of [
    ['a large table (CONCURRENTLY)', large, 10_000],
    ['a small table (in the transaction)', small, 0],
  ] as const) {
    it(`adds the index on ${label}, keeps every row, and pages the person's old messages by it`, async () => {
      const old = await oldDatabase(schema.connectionString, filler);
      const before = await rowsOf(old, TABLES);
      await old.end();
      const store = new PostgresStore({ connectionString: schema.connectionString });
      await store.init();
      const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await indexValid(store.pool)).toBe(true);
      expect(await rowsOf(store.pool, TABLES, before)).toEqual(before);
      expect((await store.userMessages('ana', { limit: 10 })).map((m) => m.id)).toEqual(['m1', 'm3']);
      expect((await store.userRecords('ana')).reactions).toEqual([{ roomId: 'town', messageId: 'm2', emoji: '👍' }]);
      const client = await store.pool.connect();
      try {
        await client.query('SET enable_seqscan = off');
        const plan = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM chat_messages WHERE user_id = 'ana' ORDER BY id LIMIT 10`,
        );
        expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('chat_messages_user');
      } finally {
        client.release();
      }
      // Rows stored before the upgrade expire as any other: history then starts after them.
      const expired = await store.expireMessages('town', '2024-01-03T12:00:00Z', 100);
      expect(expired.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
      expect((await store.listMessages('town', { after: 0, limit: 1 })).historyStart).toBe(3);
      await store.close();
    });
  }
});
