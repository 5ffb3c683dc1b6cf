import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

const before10 = MIGRATIONS.filter((m) => m.version <= 9);
// Every migration but the index: a later one that alters chat_messages (13 adds a column) would
// wait for the open transaction these tests hold, before the index build they watch could start.
const allBut10 = MIGRATIONS.filter((m) => m.version !== 10);

async function indexOf(pool: pg.Pool): Promise<{ valid: boolean; definition: string } | undefined> {
  const { rows } = await pool.query<{ valid: boolean; definition: string }>(
    `SELECT i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i WHERE i.indexrelid = to_regclass('chat_messages_search')`,
  );
  return rows[0];
}

// A database at version 9 with two messages, and with `filler` more (10,000 make the table large
// enough for the index to be built CONCURRENTLY, outside the migration transaction).
async function oldDatabase(connectionString: string, filler = 0, migrations = before10): Promise<pg.Client> {
  const old = await databaseAfter(connectionString, migrations);
  await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('town', '{}', $1)`, [2 + filler]);
  await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at)
    VALUES ('m1', 'town', 1, 'c1', 'ana', 'Ana', 'Mañana a las diez', '2024-01-02T00:00:00Z'),
           ('m2', 'town', 2, 'c2', 'ana', 'Ana', 'nothing here', '2024-01-03T00:00:00Z')`);
  await old.query(
    `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at)
     SELECT 'f' || g, 'town', g + 2, 'f' || g, 'bot', 'Bot', 'filler line ' || g, '2024-01-01T00:00:00Z' FROM generate_series(1, $1::int) g`,
    [filler],
  );
  return old;
}

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 10 (the message search index)', () => {
  const upgrade = useTestSchema();
  const locked = useTestSchema();
  const dead = useTestSchema();
  const english = useTestSchema();
  const unknown = useTestSchema();
  const small = useTestSchema();

  it('builds the index on a database at version 9, and the messages stored before are found through it', async () => {
    await (await oldDatabase(upgrade.connectionString, 10_000)).end();
    const [a, b] = [
      new PostgresStore({ connectionString: upgrade.connectionString }),
      new PostgresStore({ connectionString: upgrade.connectionString }),
    ];
    await Promise.all([a.init(), b.init()]); // two processes starting at once
    const { rows } = await a.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await indexOf(a.pool)).toEqual({ valid: true, definition: expect.stringContaining('USING gin') });
    expect(a.search).toEqual({ language: 'simple', accentsFolded: true });
    expect((await a.searchMessages({ roomIds: ['town'], query: 'manana', limit: 5 })).messages.map((m) => m.id)).toEqual(['m1']);
    const client = await a.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM chat_messages WHERE deleted_at IS NULL
         AND to_tsvector('chat_search'::regconfig, text) @@ websearch_to_tsquery('chat_search'::regconfig, $1)`,
        ['manana'],
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('chat_messages_search');
    } finally {
      client.release();
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('builds it without blocking writes: appends go on while the build waits for an open transaction', async () => {
    await (await oldDatabase(locked.connectionString, 10_000, allBut10)).end();
    const writer = new pg.Client({ connectionString: locked.connectionString });
    await writer.connect();
    await writer.query('BEGIN');
    await writer.query(
      `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text) VALUES ('m9', 'town', 99999, 'c9', 'eva', 'Eva', 'open')`,
    );
    const store = new PostgresStore({ connectionString: locked.connectionString });
    let initDone = false;
    const init = store.init().then(() => {
      initDone = true;
    });
    // The build has started once it shows in pg_stat_progress_create_index.
    await expect
      .poll(
        async () =>
          (await store.pool.query(`SELECT 1 FROM pg_stat_progress_create_index WHERE relid = to_regclass('chat_messages')`)).rowCount,
        {
          timeout: 10_000,
        },
      )
      .toBe(1);
    // A plain CREATE INDEX would queue behind the open transaction and every write behind it.
    const { message } = await store.appendMessage({
      roomId: 'town',
      clientId: 'during',
      user: { id: 'ana', name: 'Ana' },
      text: 'written during the build',
      attachments: [],
    });
    expect(initDone).toBe(false);
    await writer.query('COMMIT');
    await writer.end();
    await init;
    expect(await indexOf(store.pool)).toMatchObject({ valid: true });
    expect((await store.searchMessages({ roomIds: ['town'], query: 'during build', limit: 5 })).messages.map((m) => m.id)).toEqual([
      message.id,
    ]);
    await store.close();
  });

  it('builds it inside the migration transaction on a small table, waiting for no other transaction', async () => {
    await (await oldDatabase(small.connectionString)).end();
    // A transaction elsewhere in the database holding a snapshot: CREATE INDEX CONCURRENTLY would wait for its end.
    const reader = new pg.Client({ connectionString: small.connectionString });
    await reader.connect();
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await reader.query('SELECT count(*) FROM chat_rooms');
    const store = new PostgresStore({ connectionString: small.connectionString });
    await store.init();
    expect(await indexOf(store.pool)).toEqual({ valid: true, definition: expect.stringContaining('to_tsvector') });
    expect((await store.searchMessages({ roomIds: ['town'], query: 'mañana', limit: 5 })).messages.map((m) => m.id)).toEqual(['m1']);
    await reader.query('COMMIT');
    await reader.end();
    await store.close();
  });

  it('drops an index a failed build left invalid, and builds it again', async () => {
    const old = await oldDatabase(dead.connectionString);
    // A build that failed half-way leaves an invalid index under the name.
    await old.query(`CREATE UNIQUE INDEX CONCURRENTLY chat_messages_search ON chat_messages (user_id)`).catch(() => undefined);
    await old.end();
    const store = new PostgresStore({ connectionString: dead.connectionString });
    expect(await indexOf(store.pool)).toMatchObject({ valid: false });
    await store.init();
    expect(await indexOf(store.pool)).toEqual({ valid: true, definition: expect.stringContaining('to_tsvector') });
    expect((await store.searchMessages({ roomIds: ['town'], query: 'diez', limit: 5 })).messages.map((m) => m.id)).toEqual(['m1']);
    await store.close();
  });

  it('stems with searchLanguage english, and refuses to start on the index of another language', async () => {
    const store = new PostgresStore({ connectionString: english.connectionString, searchLanguage: 'english' });
    await store.init();
    await store.createRoom({ id: 'r' });
    await store.appendMessage({
      roomId: 'r',
      clientId: 'c',
      user: { id: 'u', name: 'U' },
      text: 'She runs every morning',
      attachments: [],
    });
    expect((await store.searchMessages({ roomIds: ['r'], query: 'running', limit: 5 })).messages.map((m) => m.text)).toEqual([
      'She runs every morning',
    ]);
    await store.close();
    const other = new PostgresStore({ connectionString: english.connectionString });
    await expect(other.init()).rejects.toThrow("searchLanguage is 'simple' but this database's search index was built for 'english'");
    await other.close();
    const klingon = new PostgresStore({ connectionString: unknown.connectionString, searchLanguage: "klingon'; DROP TABLE x" });
    await expect(klingon.init()).rejects.toThrow("searchLanguage 'klingon'; DROP TABLE x' is not a text search configuration");
    await klingon.close();
  });
});
