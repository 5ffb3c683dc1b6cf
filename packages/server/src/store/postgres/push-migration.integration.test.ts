import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 9 (push subscriptions) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by migrations 1-8, with rows, to version 9: every row intact, and users take push subscriptions', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    await old.query(
      `INSERT INTO chat_rooms (id, title, options, created_at, last_seq) VALUES ('town', 'Town', '{}', '2024-01-01T00:00:00Z', 1)`,
    );
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, user_bot)
      VALUES ('m1', 'town', 1, 'c1', 'ana', 'Ana', 'hola', '2024-01-02T00:00:00Z', false)`);
    await old.query(`INSERT INTO chat_users (id, name) VALUES ('ana', 'Ana')`);
    await old.query(`INSERT INTO chat_members (room_id, user_id, read_seq) VALUES ('town', 'ana', 1)`);
    await old.query(`INSERT INTO chat_standings (room_id, user_id, role) VALUES ('town', 'ana', 'owner')`);
    const tables = ['chat_rooms', 'chat_messages', 'chat_users', 'chat_members', 'chat_standings'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(rows.map((r) => r.version)).toContain(9);
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);

    // An existing user takes a subscription; old rooms and messages work as before.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
    await store.savePushSubscription('ana', { endpoint: 'https://push.example/ana', keys }, { max: 5 });
    expect(await store.listPushSubscriptions(['ana'])).toEqual([{ userId: 'ana', endpoint: 'https://push.example/ana', keys }]);
    expect((await store.getMessage('town', 'm1'))?.text).toBe('hola');
    await store.close();
  });
});
