import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migrations 22 and 23: each device's last batch of key packages, then the ones before it, so that
// a publish repeated after its answer was lost, or arriving late, keeps nothing twice. New nullable
// columns; the devices known before have none.

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
    expect(await store.e2ee.keptBatch!(phone, 'b1')).toBe(false);
    expect(await store.e2ee.publishKeyPackages(phone, ['cDI='], 100, 10, 'b1')).toBe(2);
    expect(await store.e2ee.publishKeyPackages(phone, ['cDI='], 100, 10, 'b1')).toBe(2);
    expect(await store.e2ee.keptBatch!(phone, 'b1')).toBe(true);
    await store.close();
  });
});

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 23 (e2ee key package batches kept) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('keeps every row at 22 (a last batch, none before it); that batch, sent late after a newer one, is kept once', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 23),
    );
    await old.query(`INSERT INTO chat_e2ee_key_packages (user_id, device_id, key_package) VALUES ('bea', 'phone', 'cDE=')`);
    await old.query(`INSERT INTO chat_e2ee_published_devices (user_id, device_id, batch) VALUES ('bea', 'phone', 'b1')`);
    const tables = ['chat_e2ee_key_packages', 'chat_e2ee_published_devices'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    const phone = { userId: 'bea', deviceId: 'phone' };
    expect(await store.e2ee.keptBatch!(phone, 'b1')).toBe(true);
    expect(await store.e2ee.publishKeyPackages(phone, ['cDI='], 100, 10, 'b2')).toBe(2);
    expect(await store.e2ee.publishKeyPackages(phone, ['cDE='], 100, 10, 'b1')).toBe(2);
    expect([await store.e2ee.keptBatch!(phone, 'b1'), await store.e2ee.keptBatch!(phone, 'b2')]).toEqual([true, true]);
    await store.close();
  });
});
