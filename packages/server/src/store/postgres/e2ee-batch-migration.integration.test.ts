import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migration 22: each device's last batch of key packages, so that a publish repeated after its
// answer was lost keeps nothing twice. A new nullable column; the devices known before have none.

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 22 (e2ee key package batches) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('keeps every row at 21 (no batch yet); a batch published after is kept once', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 22),
    );
    await old.query(`INSERT INTO chat_e2ee_key_packages (user_id, device_id, key_package) VALUES ('ana', 'phone', 'cDE=')`);
    await old.query(`INSERT INTO chat_e2ee_published_devices (user_id, device_id) VALUES ('ana', 'phone')`);
    const tables = ['chat_e2ee_key_packages', 'chat_e2ee_published_devices'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    const phone = { userId: 'ana', deviceId: 'phone' };
    expect(await store.e2ee.keyBatch!(phone)).toBeUndefined();
    expect(await store.e2ee.publishKeyPackages(phone, ['cDI='], 100, 10, 'b1')).toBe(2);
    expect(await store.e2ee.publishKeyPackages(phone, ['cDI='], 100, 10, 'b1')).toBe(2);
    expect(await store.e2ee.keyBatch!(phone)).toBe('b1');
    await store.close();
  });
});
