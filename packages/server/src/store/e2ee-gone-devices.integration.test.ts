// The removed-devices record of both stores (MemoryStore, PostgresStore): what `removeDevice`
// changes, and what it leaves (the user's other devices, other users' devices of the same id).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatStore } from '../core/chat-store.js';
import type { E2eeStore } from '../core/e2ee-store.js';
import { MemoryStore } from './memory-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../test-support/postgres.js';

const stores: Array<[string, () => Promise<ChatStore>]> = [['MemoryStore', () => Promise.resolve(new MemoryStore())]];
const schema = skipWithoutPostgres() ? undefined : useTestSchema();
if (schema) {
  stores.push([
    'PostgresStore',
    async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      await store.init();
      return store;
    },
  ]);
}

describe.each(stores)('removed e2ee devices in %s', (_name, makeStore) => {
  async function setUp() {
    const store = await makeStore();
    const e2ee = store.e2ee as E2eeStore;
    const tag = randomBytes(4).toString('hex');
    const roomId = `clinic-${tag}`;
    await store.createRoom({ id: roomId, options: { encrypted: true } });
    const bob = `bob-${tag}`;
    const ana = `ana-${tag}`;
    return { store, e2ee, roomId, bob, ana };
  }

  it('drops the device’s key packages and welcome, refuses its publishes, and keeps the other devices', async () => {
    const { e2ee, roomId, bob, ana } = await setUp();
    const phone = { userId: bob, deviceId: 'phone' };
    const laptop = { userId: bob, deviceId: 'laptop' };
    const anasPhone = { userId: ana, deviceId: 'phone' };
    await e2ee.publishKeyPackages(phone, ['cGhvbmUx', 'cGhvbmUy'], 100);
    await e2ee.publishKeyPackages(laptop, ['bGFwdG9w'], 100);
    await e2ee.publishKeyPackages(anasPhone, ['YW5h'], 100);
    const added = await e2ee.claimKeyPackages(roomId, [bob]);
    expect(added.map((k) => k.deviceId).sort()).toEqual(['laptop', 'phone']);
    const create = { roomId, epoch: 0, commit: 'Y3JlYXRl', from: anasPhone, added, removed: [], welcome: 'd2VsY29tZQ==' };
    expect(await e2ee.appendCommit(create)).toBe(true);
    expect(await e2ee.welcome(roomId, phone)).toBeDefined();

    expect(await e2ee.removeDevice(phone)).toEqual([roomId]);
    expect(await e2ee.goneDevices([phone, laptop, anasPhone])).toEqual([phone]);
    expect(await e2ee.welcome(roomId, phone)).toBeUndefined();
    expect(await e2ee.welcome(roomId, laptop)).toBeDefined();
    expect(await e2ee.keyDevices([bob, ana])).toEqual(expect.not.arrayContaining([phone]));
    await expect(e2ee.publishKeyPackages(phone, ['YWdhaW4='], 100)).rejects.toMatchObject({
      code: 'E2EE_DEVICE_REMOVED',
      message: expect.stringMatching(/was removed/u) as unknown,
    });
    // Still in the group until a member commits its removal; then in none.
    expect(await e2ee.groupDevices(roomId)).toContainEqual(phone);
    expect(await e2ee.appendCommit({ roomId, epoch: 1, commit: 'cmVtb3Zl', from: anasPhone, added: [], removed: [phone] })).toBe(true);
    expect(await e2ee.removeDevice(phone)).toEqual([]);
    // Another user's device of the same id, and the laptop, go on.
    expect(await e2ee.publishKeyPackages(anasPhone, ['bW9yZQ=='], 100)).toBe(2);
    expect(await e2ee.publishKeyPackages(laptop, ['bW9yZQ=='], 100)).toBe(1);
    expect(await e2ee.goneDevices([laptop, anasPhone])).toEqual([]);
  });

  it('answers undefined for a device it never knew, and records nothing', async () => {
    const { e2ee, bob } = await setUp();
    const unknown = { userId: bob, deviceId: 'never-seen' };
    expect(await e2ee.removeDevice(unknown)).toBeUndefined();
    expect(await e2ee.goneDevices([unknown])).toEqual([]);
    expect(await e2ee.publishKeyPackages(unknown, ['bmV3'], 100)).toBe(1);
    expect(await e2ee.goneDevices([])).toEqual([]);
  });
});
