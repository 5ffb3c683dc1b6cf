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

// Migration 24: the welcomes waiting for a device, found by it (e2ee:keys:held, a device's removal)
// rather than by reading the whole table. The large-table path (CONCURRENTLY) is migration 18's, tested there.
describe.skipIf(skipWithoutPostgres())('PostgresStore migration 24 (e2ee welcomes by device) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('keeps every row at 23, and a held-key check finds a device’s welcomes by the index', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 24),
    );
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('clinic', '{"encrypted":true}', 0)`);
    await old.query(
      `INSERT INTO chat_e2ee_welcomes (room_id, user_id, device_id, epoch, welcome, key_package) VALUES ('clinic', 'bea', 'phone', 3, 'dw==', 'a1A=')`,
    );
    const tables = ['chat_e2ee_welcomes'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    const phone = { userId: 'bea', deviceId: 'phone' };
    expect(await store.e2ee.liveKeyPackages(phone, ['a1A=', 'bm8='])).toEqual(['a1A=']);
    const client = await store.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT key_package FROM chat_e2ee_welcomes WHERE user_id = 'bea' AND device_id = 'phone'`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('chat_e2ee_welcomes_device');
    } finally {
      client.release();
    }
    await store.close();
  });
});

// Migration 25: each group's id. A group created before it has none: its id is unknown, and nothing
// is compared with it (its devices go on as before).
describe.skipIf(skipWithoutPostgres())('PostgresStore migration 25 (e2ee group ids) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('keeps every row at 24; a group of then has no id, and commits and syncs naming any go on', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version < 25),
    );
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('clinic', '{"encrypted":true}', 0)`);
    await old.query(`INSERT INTO chat_e2ee_groups (room_id, epoch) VALUES ('clinic', 2)`);
    await old.query(
      `INSERT INTO chat_e2ee_devices (room_id, user_id, device_id) VALUES ('clinic', 'ana', 'phone'), ('clinic', 'bea', 'phone')`,
    );
    await old.query(
      `INSERT INTO chat_e2ee_welcomes (room_id, user_id, device_id, epoch, welcome, key_package) VALUES ('clinic', 'bea', 'phone', 2, 'dw==', 'a1A=')`,
    );
    const tables = ['chat_e2ee_groups', 'chat_e2ee_devices', 'chat_e2ee_welcomes'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    expect(await store.e2ee.groupHead('clinic')).toEqual({ epoch: 2 });
    const bea = { userId: 'bea', deviceId: 'phone' };
    await store.e2ee.dropWelcome('clinic', bea, 1, 'clinic');
    expect(await store.e2ee.welcome('clinic', bea)).toBeDefined();
    await store.e2ee.dropWelcome('clinic', bea, 2, 'clinic');
    expect(await store.e2ee.welcome('clinic', bea)).toBeUndefined();
    const draft = { roomId: 'clinic', epoch: 2, commit: 'Yw==', from: { userId: 'ana', deviceId: 'phone' }, added: [], removed: [] };
    expect(await store.e2ee.appendCommit({ ...draft, group: 'clinic' })).toBe(true);
    expect(await store.e2ee.groupHead('clinic')).toEqual({ epoch: 3 });
    await store.close();
  });
});
