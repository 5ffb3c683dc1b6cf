import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migration 20: the search index without a pending list (`fastupdate = off`), so that no send
// waits for the list to be merged into the index. A database at 19 keeps every row, has what its
// list held merged, and is searched as before; a new one is built so from the start.

const fastUpdate = async (db: { query: PostgresStore['pool']['query'] }) =>
  (
    await db.query<{ options: string[] | null }>(
      `SELECT c.reloptions AS options FROM pg_class c WHERE c.oid = to_regclass('chat_messages_search')`,
    )
  ).rows[0]?.options;

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 20 (search index without a pending list)', () => {
  const schema = useTestSchema();
  const fresh = useTestSchema();

  it('turns the pending list off on a database at 19, merging what it held, every row kept and found', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 20),
    );
    // As version 10 built it before: with PostgreSQL's default pending list, holding new entries.
    await old.query(`ALTER INDEX chat_messages_search SET (fastupdate = on)`);
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('desk', '{}', 3)`);
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments)
      SELECT 'm' || i, 'desk', i, 'c' || i, 'ana', 'Ana', 'the invoice for order ' || i, '[]' FROM generate_series(1, 3) AS i`);
    const tables = ['chat_rooms', 'chat_messages'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    expect(await fastUpdate(store.pool)).toEqual(['fastupdate=off']);
    // Nothing is left in the list (the migration merged it): a clean-up finds no page to merge.
    const { rows } = await store.pool.query<{ pages: string }>(`SELECT gin_clean_pending_list('chat_messages_search'::regclass) AS pages`);
    expect(Number(rows[0]?.pages)).toBe(0);
    const found = await store.searchMessages({ roomIds: ['desk'], query: 'invoice', limit: 10 });
    expect(found.messages.map((m) => m.seq).sort()).toEqual([1, 2, 3]);
    await store.close();
  });

  it('builds the search index of a new database without a pending list', async () => {
    const store = new PostgresStore({ connectionString: fresh.connectionString });
    await store.init();
    expect(await fastUpdate(store.pool)).toEqual(['fastupdate=off']);
    await store.close();
  });
});
