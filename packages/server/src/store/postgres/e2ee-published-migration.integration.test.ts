import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migration 19: the devices that published key packages, so that one whose last key package was
// claimed stays its user's (listed, removable), as in MemoryStore. Filled from the key packages.

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 19 (e2ee devices that published) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('knows every device holding key packages at 18, keeps every row, and a claim of its last one no longer forgets it', async () => {
    // The indexes built outside a transaction are left to the store's own setup.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 19 && m.outsideTransaction !== true),
    );
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('clinic', '{"encrypted":true}', 0)`);
    await old.query(
      `INSERT INTO chat_e2ee_key_packages (user_id, device_id, key_package) VALUES ('ana', 'phone', 'cDE='), ('ana', 'phone', 'cDI='), ('bob', 'tablet', 'dDE=')`,
    );
    const tables = ['chat_rooms', 'chat_e2ee_key_packages'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    const { rows } = await store.pool.query<{ user_id: string; device_id: string }>(
      'SELECT user_id, device_id FROM chat_e2ee_published_devices ORDER BY user_id',
    );
    expect(rows).toEqual([
      { user_id: 'ana', device_id: 'phone' },
      { user_id: 'bob', device_id: 'tablet' },
    ]);
    // Bob's tablet's only key package claimed: still his, and he can remove it.
    const tablet = { userId: 'bob', deviceId: 'tablet' };
    expect(await store.e2ee.claimKeyPackages('clinic', ['bob'])).toEqual([{ ...tablet, keyPackage: 'dDE=' }]);
    expect((await store.e2ee.userData('bob')).devices).toEqual([{ deviceId: 'tablet', keyPackages: [], rooms: [], removed: false }]);
    expect(await store.e2ee.removeDevice(tablet)).toEqual([]);
    await store.close();
  });
});
