import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 17 (removed e2ee devices) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by the migrations before 17, with groups and key packages, to 17: every row intact', async () => {
    // The indexes built outside a transaction are left to the store's own setup.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 17 && m.outsideTransaction !== true),
    );
    await old.query(
      `INSERT INTO chat_rooms (id, title, options, created_at, last_seq) VALUES ('clinic', 'Clinic', '{"encrypted":true}', now(), 0)`,
    );
    await old.query(`INSERT INTO chat_e2ee_key_packages (user_id, device_id, key_package) VALUES ('bob', 'phone', 'a3A=')`);
    await old.query(`INSERT INTO chat_e2ee_groups (room_id, epoch) VALUES ('clinic', 1)`);
    await old.query(
      `INSERT INTO chat_e2ee_commits (room_id, epoch, commit, user_id, device_id) VALUES ('clinic', 0, 'Yw==', 'bob', 'phone')`,
    );
    await old.query(`INSERT INTO chat_e2ee_devices (room_id, user_id, device_id) VALUES ('clinic', 'bob', 'phone')`);
    const tables = ['chat_rooms', 'chat_e2ee_key_packages', 'chat_e2ee_groups', 'chat_e2ee_commits', 'chat_e2ee_devices'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toContain(17);
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    // The old device is known (a group holds it): it can be removed, and its group is named.
    const phone = { userId: 'bob', deviceId: 'phone' };
    expect(await store.e2ee.goneDevices([phone])).toEqual([]);
    expect(await store.e2ee.removeDevice(phone)).toEqual(['clinic']);
    expect(await store.e2ee.goneDevices([phone])).toEqual([phone]);
    await store.close();
  });
});
