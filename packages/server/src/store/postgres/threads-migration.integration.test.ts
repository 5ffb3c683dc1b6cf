import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

const before11 = MIGRATIONS.filter((m) => m.version <= 10);

// A database at version 10 with a room of three messages and two members.
async function oldDatabase(connectionString: string, migrations = before11): Promise<pg.Client> {
  const old = await databaseAfter(connectionString, migrations);
  await old.query(
    `INSERT INTO chat_rooms (id, title, options, created_at, last_seq) VALUES ('town', 'Town', '{}', '2024-01-01T00:00:00Z', 3)`,
  );
  await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, user_bot)
    VALUES ('m1', 'town', 1, 'c1', 'ana', 'Ana', 'release on friday?', '2024-01-02T00:00:00Z', false),
           ('m2', 'town', 2, 'c2', 'ben', 'Ben', 'lunch', '2024-01-02T00:01:00Z', false),
           ('m3', 'town', 3, 'c3', 'ana', 'Ana', 'ok', '2024-01-02T00:02:00Z', false)`);
  await old.query(`INSERT INTO chat_users (id, name) VALUES ('ana', 'Ana'), ('ben', 'Ben')`);
  await old.query(`INSERT INTO chat_members (room_id, user_id, read_seq) VALUES ('town', 'ana', 3), ('town', 'ben', 2)`);
  return old;
}

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 11 (threads) upgrades a database in place', () => {
  const upgrade = useTestSchema();
  const busy = useTestSchema();

  it('takes a database at version 10, with rows, to version 11: every row intact, and old messages take threads', async () => {
    const old = await oldDatabase(upgrade.connectionString);
    const tables = ['chat_rooms', 'chat_messages', 'chat_users', 'chat_members'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: upgrade.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);

    // Old messages read as before: top-level, no thread.
    const page = await store.listMessages('town', { limit: 10 });
    expect(page.messages.map((m) => [m.id, m.threadOf, m.thread])).toEqual([
      ['m1', undefined, undefined],
      ['m2', undefined, undefined],
      ['m3', undefined, undefined],
    ]);
    // A reply to a message stored before the upgrade opens its thread.
    const { message: reply, parent } = await store.appendMessage({
      roomId: 'town',
      clientId: 'r1',
      user: { id: 'ben', name: 'Ben' },
      text: 'yes, friday',
      attachments: [],
      threadOf: 'm1',
    });
    expect(reply).toMatchObject({ seq: 4, threadOf: 'm1' });
    expect(parent).toMatchObject({ id: 'm1', rev: 1, thread: { replyCount: 1, participants: [{ id: 'ben', name: 'Ben' }] } });
    expect((await store.listMessages('town', { limit: 10 })).messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect((await store.listMessages('town', { threadOf: 'm1', limit: 10 })).messages.map((m) => m.id)).toEqual([reply.id]);
    const ana = (await store.conversations('ana', { limit: 5 }))[0];
    expect(ana).toMatchObject({ unread: 0, threadUnread: 1, readSeq: 3 });
    expect((await store.searchMessages({ roomIds: ['town'], query: 'friday', limit: 5 })).messages.map((m) => [m.id, m.threadOf])).toEqual([
      [reply.id, 'm1'],
      ['m1', undefined],
    ]);
    await store.close();
  });

  it('does not hold appends behind it while a transaction that wrote a message is open', async () => {
    // Every other migration already applied: the later ones build indexes, which wait for open
    // writers by nature (CONCURRENTLY without holding appends); this is about 11's tables (and 15's).
    await (
      await oldDatabase(
        busy.connectionString,
        // 15 fills its table from 11's, and 29 reads 11's: pending with it (neither reads a message row).
        MIGRATIONS.filter((m) => m.version !== 11 && m.version !== 15 && m.version !== 29),
      )
    ).end();
    const writer = new pg.Client({ connectionString: busy.connectionString });
    await writer.connect();
    await writer.query('BEGIN');
    await writer.query(
      `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text) VALUES ('m9', 'town', 99, 'c9', 'eva', 'Eva', 'open')`,
    );
    const store = new PostgresStore({ connectionString: busy.connectionString });
    // The upgrade finishes while the writer's transaction is open: no lock of chat_messages to wait for.
    await store.init();
    const { message } = await store.appendMessage({
      roomId: 'town',
      clientId: 'during',
      user: { id: 'ana', name: 'Ana' },
      text: 'written during the open transaction',
      attachments: [],
      threadOf: 'm2',
    });
    expect(message).toMatchObject({ threadOf: 'm2' });
    await writer.query('ROLLBACK');
    await writer.end();
    await store.close();
  });
});
