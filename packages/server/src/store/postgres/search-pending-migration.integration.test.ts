import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migrations 20 and 21: the search index without a pending list (20, `fastupdate = off`), so that
// no send waited for PostgreSQL's 4 MB list to be merged into the index; then with a small list
// (21, 512 kB) that the store merges every 250 ms off the send path (search-merge.ts). Each change
// needs the index's exclusive lock: taken in a statement of its own, waiting at most 200 ms, and
// left for the next start when the table is that busy. A database at 19 or 20 keeps every row and
// is searched as before; a new one ends at 21.

const options = async (db: Pick<pg.ClientBase, 'query'>) =>
  (
    await db.query<{ options: string[] | null }>(
      `SELECT c.reloptions AS options FROM pg_class c WHERE c.oid = to_regclass('chat_messages_search')`,
    )
  ).rows[0]?.options;
const versions = async (db: pg.Pool) =>
  (await db.query<{ version: number }>('SELECT version FROM chat_migrations')).rows.map((r) => r.version);

/** A database at 19 whose index has PostgreSQL's default pending list, as version 10 built it before. */
async function atVersion19(connectionString: string): Promise<Record<string, unknown[]>> {
  const old = await databaseAfter(
    connectionString,
    MIGRATIONS.filter((m) => m.version < 20),
  );
  await old.query(`ALTER INDEX chat_messages_search SET (fastupdate = on)`);
  await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('desk', '{}', 3)`);
  await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments)
    SELECT 'm' || i, 'desk', i, 'c' || i, 'ana', 'Ana', 'the invoice for order ' || i, '[]' FROM generate_series(1, 3) AS i`);
  const before = await rowsOf(old, ['chat_rooms', 'chat_messages']);
  await old.end();
  return before;
}

/** What migration 21 leaves on the index. */
const SMALL_LIST = ['fastupdate=on', 'gin_pending_list_limit=512'];

describe.skipIf(skipWithoutPostgres())('PostgresStore migrations 20 and 21 (the search index and its pending list)', () => {
  const schema = useTestSchema();
  const at20 = useTestSchema();
  const busy = useTestSchema();
  const order = useTestSchema();
  const fresh = useTestSchema();

  it('takes a database at 19 (the default list) to the small list, every row kept and found', async () => {
    const before = await atVersion19(schema.connectionString);
    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, ['chat_rooms', 'chat_messages'], before)).toEqual(before);
    expect(await options(store.pool)).toEqual(SMALL_LIST);
    expect(await versions(store.pool)).toEqual(expect.arrayContaining([20, 21]));
    const found = await store.searchMessages({ roomIds: ['desk'], query: 'invoice', limit: 10 });
    expect(found.messages.map((m) => m.seq).sort()).toEqual([1, 2, 3]);
    await store.close();
  });

  it('starts without waiting on a busy table, and changes the list at the next start', async () => {
    await atVersion19(busy.connectionString);
    // A transaction that read chat_messages: its lock on the table's indexes stays until it ends.
    const reader = new pg.Client({ connectionString: busy.connectionString });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query(`SELECT count(*) FROM chat_messages WHERE room_id = 'desk'`);
    const first = new PostgresStore({ connectionString: busy.connectionString });
    await first.init();
    expect(await options(first.pool)).toEqual(['fastupdate=on']);
    expect(await versions(first.pool)).not.toContain(20);
    expect(await versions(first.pool)).not.toContain(21);
    // The store works meanwhile: sends go on (the index takes them as before).
    await first.appendMessage({
      roomId: 'desk',
      clientId: 'during',
      user: { id: 'ana', name: 'Ana' },
      text: 'invoice again',
      attachments: [],
    });
    await first.close();
    await reader.query('COMMIT');
    await reader.end();
    const next = new PostgresStore({ connectionString: busy.connectionString });
    await next.init();
    expect(await options(next.pool)).toEqual(SMALL_LIST);
    expect(await versions(next.pool)).toEqual(expect.arrayContaining([20, 21]));
    const found = await next.searchMessages({ roomIds: ['desk'], query: 'invoice', limit: 10 });
    expect(found.messages.map((m) => m.seq).sort()).toEqual([1, 2, 3, 4]);
    await next.close();
  });

  it('holds 21 back when 20 finds the table busy: run alone at a later start, 20 would undo it', async () => {
    await atVersion19(order.connectionString);
    const reader = new pg.Client({ connectionString: order.connectionString });
    await reader.connect();
    await reader.query('BEGIN');
    await reader.query(`SELECT count(*) FROM chat_messages WHERE room_id = 'desk'`);
    const admin = new pg.Client({ connectionString: order.connectionString });
    await admin.connect();
    const waitingFor21 = async () =>
      (
        await admin.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%gin_pending_list_limit = 512%'`,
        )
      ).rows[0].n > 0;
    const first = new PostgresStore({ connectionString: order.connectionString });
    let started = false;
    const starting = first.init().then(() => (started = true));
    // 20 gives up on the lock; were 21 to run next, the reader lets go while it waits, and it would win.
    await waitFor(async () => expect(started || (await waitingFor21())).toBe(true), { interval: 5 });
    await reader.query('COMMIT');
    await starting;
    expect(await versions(first.pool)).not.toContain(20);
    expect(await versions(first.pool)).not.toContain(21);
    expect(await options(first.pool)).toEqual(['fastupdate=on']);
    await first.close();
    await Promise.all([reader.end(), admin.end()]);
    const next = new PostgresStore({ connectionString: order.connectionString });
    await next.init();
    expect(await options(next.pool)).toEqual(SMALL_LIST);
    expect(await versions(next.pool)).toEqual(expect.arrayContaining([20, 21]));
    await next.close();
  });

  it('turns the small list on at a database at 20 (no list), every row kept and found', async () => {
    const old = await databaseAfter(
      at20.connectionString,
      MIGRATIONS.filter((m) => m.version <= 20),
    );
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('desk', '{}', 2)`);
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, attachments)
      SELECT 'm' || i, 'desk', i, 'c' || i, 'ana', 'Ana', 'the invoice for order ' || i, '[]' FROM generate_series(1, 2) AS i`);
    expect(await options(old)).toEqual(['fastupdate=off']);
    const before = await rowsOf(old, ['chat_rooms', 'chat_messages']);
    await old.end();
    const store = new PostgresStore({ connectionString: at20.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, ['chat_rooms', 'chat_messages'], before)).toEqual(before);
    expect(await options(store.pool)).toEqual(SMALL_LIST);
    expect(await versions(store.pool)).toContain(21);
    const found = await store.searchMessages({ roomIds: ['desk'], query: 'invoice', limit: 10 });
    expect(found.messages.map((m) => m.seq).sort()).toEqual([1, 2]);
    await store.close();
  });

  it('builds the search index of a new database with the small list', async () => {
    const store = new PostgresStore({ connectionString: fresh.connectionString });
    await store.init();
    expect(await options(store.pool)).toEqual(SMALL_LIST);
    expect(await versions(store.pool)).toEqual(expect.arrayContaining([20, 21]));
    await store.close();
  });
});
