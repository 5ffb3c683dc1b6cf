import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 13 (end-to-end encrypted rooms) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by the migrations before 13, with rows, to 13: every row intact, old messages plain, new rooms encrypted', async () => {
    // The search index (10) is built by the store's own setup, outside the transaction: left to init.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 13 && m.outsideTransaction !== true),
    );
    await old.query(
      `INSERT INTO chat_rooms (id, title, options, created_at, last_seq) VALUES ('town', 'Town', '{}', '2024-01-01T00:00:00Z', 1)`,
    );
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, user_bot)
      VALUES ('m1', 'town', 1, 'c1', 'ana', 'Ana', 'hola', '2024-01-02T00:00:00Z', false)`);
    await old.query(`INSERT INTO chat_users (id, name) VALUES ('ana', 'Ana')`);
    await old.query(`INSERT INTO chat_members (room_id, user_id, read_seq) VALUES ('town', 'ana', 1)`);
    const tables = ['chat_rooms', 'chat_users', 'chat_members'];
    const before = await rowsOf(old, tables);
    const messagesBefore = (await old.query('SELECT * FROM chat_messages ORDER BY id')).rows;
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toContain(13);
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    const messagesAfter = (await store.pool.query('SELECT * FROM chat_messages ORDER BY id')).rows;
    expect(messagesAfter.map(({ ciphertext, ...rest }) => rest)).toEqual(messagesBefore);
    expect(messagesAfter.every((r) => r.ciphertext === null)).toBe(true);
    expect(await store.getMessage('town', 'm1')).toMatchObject({ text: 'hola' });
    expect((await store.getMessage('town', 'm1'))?.ciphertext).toBeUndefined();

    // The old room stays plain; a new encrypted room keeps its group.
    await store.createRoom({ id: 'clinic', options: { encrypted: true } });
    const e2ee = store.e2ee;
    expect(
      await e2ee.appendCommit({
        roomId: 'clinic',
        epoch: 0,
        commit: 'Y29tbWl0',
        from: { userId: 'ana', deviceId: 'p' },
        added: [],
        removed: [],
      }),
    ).toBe(true);
    expect(await e2ee.groupEpoch('clinic')).toBe(1);
    expect(await e2ee.groupEpoch('town')).toBe(0);
    await store.close();
  });
});
