// A person's end-to-end encryption rows with chat.exportUser and chat.eraseUser, on real servers
// (MemoryStore and PostgresStore; two processes on Redis and on a Redis Cluster), real sockets and
// real MLS devices: the export lists their devices, key packages, welcomes and commits; the erase
// takes them all, and the remaining members, asked as for any removal, commit the removal of the
// person's devices.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { builtInError, type ChatError } from '@chat/protocol';
import type { ChatServer, ChatServerOptions, ChatStore, E2eeStore, E2eeUserData } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import {
  anaAndBob,
  byToken,
  device,
  deviceName,
  encryptedChat,
  groupDeviceIds,
  sameEpoch,
  sendSealed,
  type Device,
} from '../../../../../test-support/e2ee-devices.js';
import { bothStores } from '../../../../../test-support/stores.js';
import { okData, request } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

const stores = bothStores();

const cut = (d: Device) => new Promise<void>((resolve) => d.socket.once('disconnect', () => resolve()));
const nothing: E2eeUserData = { devices: [], welcomes: [], commits: [] };

async function exportedE2ee(chat: ChatServer, userId: string): Promise<E2eeUserData> {
  let text = '';
  for await (const chunk of chat.exportUser(userId)) text += chunk;
  return (JSON.parse(text) as { e2ee: E2eeUserData }).e2ee;
}

/**
 * Fails when anything of the user or of these devices is left in the e2ee state: every row of
 * every chat_e2ee_ table (PostgreSQL), and for both stores what the store answers of the user,
 * their devices and these rooms (their groups, commit logs and welcomes).
 */
async function expectNothingLeft(store: ChatStore, userId: string, deviceIds: readonly string[], roomIds: readonly string[]) {
  const e2ee = store.e2ee as E2eeStore;
  const devices = deviceIds.map((deviceId) => ({ userId, deviceId }));
  expect(await e2ee.userData(userId)).toEqual(nothing);
  expect(await e2ee.keyDevices([userId])).toEqual([]);
  expect(await e2ee.goneDevices(devices)).toEqual([]);
  for (const roomId of roomIds) {
    expect(JSON.stringify(await e2ee.groupDevices(roomId))).not.toContain(userId);
    expect(JSON.stringify(await e2ee.listCommits(roomId, 0, 1000))).not.toContain(userId);
    for (const d of devices) expect(await e2ee.welcome(roomId, d)).toBeUndefined();
  }
  if (!(store instanceof PostgresStore)) return;
  const { rows } = await store.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'chat\\_e2ee\\_%' ORDER BY 1`,
  );
  expect(rows.map((r) => r.table_name)).toEqual([
    'chat_e2ee_commits',
    'chat_e2ee_devices',
    'chat_e2ee_gone_devices',
    'chat_e2ee_groups',
    'chat_e2ee_key_packages',
    'chat_e2ee_published_devices',
    'chat_e2ee_welcomes',
  ]);
  for (const { table_name } of rows) {
    const dump = JSON.stringify((await store.pool.query(`SELECT * FROM ${table_name}`)).rows);
    expect(dump, table_name).not.toContain(userId);
    for (const deviceId of deviceIds) expect(dump, table_name).not.toContain(deviceId);
  }
}

describe.each(stores)("a person's e2ee rows on %s", (_name, makeStore) => {
  /**
   * Ana with two devices, and an old phone she removed, and Bob, in an encrypted room; Ana alone in
   * a second one (her phone opens its group and adds her laptop, which never joins it).
   */
  async function setUp() {
    const started = await encryptedChat(makeStore);
    const { url, store, roomId } = started;
    const ana = await device(url, 'ana', roomId);
    const laptop = await device(url, 'ana', roomId, { userId: ana.userId });
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, laptop, bob], roomId);
    const alone = `diary-${randomBytes(4).toString('hex')}`;
    await started.chat.createRoom({ id: alone, options: { encrypted: true } });
    okData(await request(ana.socket, 'room:join', { roomId: alone }));
    await ana.session.open(alone);
    const e2ee = store.e2ee as E2eeStore;
    const oldPhone = `old-phone-${randomBytes(4).toString('hex')}`;
    await e2ee.publishKeyPackages({ userId: ana.userId, deviceId: oldPhone }, ['b2xk'], 100);
    await e2ee.removeDevice({ userId: ana.userId, deviceId: oldPhone });
    const anaIds = [ana.session.device.deviceId, laptop.session.device.deviceId, oldPhone];
    return { ...started, ana, laptop, bob, alone, oldPhone, anaIds };
  }

  it('exports their devices with key packages and groups, and the commits they made', async () => {
    const { chat, roomId, ana, laptop, alone, oldPhone } = await setUp();
    const doc = await exportedE2ee(chat, ana.userId);
    const devices = [
      { deviceId: ana.session.device.deviceId, rooms: [roomId, alone].sort(), removed: false },
      { deviceId: laptop.session.device.deviceId, rooms: [roomId, alone].sort(), removed: false },
      { deviceId: oldPhone, rooms: [], removed: true, keyPackages: [] },
    ].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
    expect(doc.devices).toMatchObject(devices);
    // Each device keeps key packages published; one of each was claimed to add it.
    for (const d of doc.devices.filter((x) => !x.removed)) expect(d.keyPackages.length).toBeGreaterThan(0);
    // Ana's phone made the first commit of both groups.
    expect(doc.commits).toEqual(
      expect.arrayContaining([
        { roomId, epoch: 0, deviceId: ana.session.device.deviceId },
        { roomId: alone, epoch: 0, deviceId: ana.session.device.deviceId },
      ]),
    );
    // The laptop's welcome to the second room waits for it (its group was created at epoch 0, the laptop added at 1).
    expect(doc.welcomes).toContainEqual(expect.objectContaining({ roomId: alone, deviceId: laptop.session.device.deviceId, epoch: 2 }));
    expect(JSON.stringify(doc)).not.toContain('privateKey');
    expect(await exportedE2ee(chat, 'nobody')).toEqual(nothing);
  });

  it('erases them: devices cut, members commit their removal, nothing of them left in any e2ee table', async () => {
    const { chat, store, roomId, ana, laptop, bob, alone, anaIds } = await setUp();
    const cuts = [cut(ana), cut(laptop)];
    await chat.eraseUser(ana.userId);
    await Promise.all(cuts);
    // Bob's device, asked as when a member is removed, commits the removal of both of Ana's.
    await waitFor(async () => expect(await groupDeviceIds(bob, roomId)).toEqual([deviceName(bob)]));
    expect(
      bob.session
        .group(roomId)!
        .members()
        .some((identity) => identity.includes(ana.userId)),
    ).toBe(false);
    await expectNothingLeft(store, ana.userId, anaIds, [roomId, alone]);
    expect(await exportedE2ee(chat, ana.userId)).toEqual(nothing);
    // MLS itself shuts Ana's devices out: what Bob says now opens with no key they hold.
    const after = await sendSealed(bob, roomId, 'after the erase');
    await expect(ana.session.group(roomId)!.decryptFrom(after.ciphertext!)).rejects.toThrow();
    // Again: nothing left to do, nothing fails.
    await chat.eraseUser(ana.userId);
    await expectNothingLeft(store, ana.userId, anaIds, [roomId, alone]);
  });

  it('finishes the job when run again after a run cut short before the members were asked', async () => {
    const { chat, store, roomId, ana, laptop, bob, alone, anaIds } = await setUp();
    const e2ee = store.e2ee as E2eeStore;
    const eraseUser = e2ee.eraseUser.bind(e2ee);
    e2ee.eraseUser = async (userId) => {
      await eraseUser(userId);
      throw new Error('the process died');
    };
    const cuts = [cut(ana), cut(laptop)];
    await expect(chat.eraseUser(ana.userId)).rejects.toThrow();
    await Promise.all(cuts);
    // Nobody was asked: the group still holds Ana's devices.
    expect(await groupDeviceIds(bob, roomId)).toEqual([deviceName(ana), deviceName(bob), deviceName(laptop)].sort());
    e2ee.eraseUser = eraseUser;
    await chat.eraseUser(ana.userId);
    await waitFor(async () => expect(await groupDeviceIds(bob, roomId)).toEqual([deviceName(bob)]));
    await expectNothingLeft(store, ana.userId, anaIds, [roomId, alone]);
  });

  it("on SDK clients, the host blocking the person first: their client's comeback is refused, Bob's commits the removal", async () => {
    const blocked = new Set<string>();
    const authenticate: ChatServerOptions['authenticate'] = async (handshake) => {
      const user = await byToken!(handshake);
      if (blocked.has(user.id)) throw builtInError('UNAUTHENTICATED', 'This account was erased.');
      return user;
    };
    const { chat, store, url, roomId } = await encryptedChat(makeStore, { authenticate });
    const { tag, ana, bob, bobRoom } = await anaAndBob(url, roomId);
    const anaId = `ana-${tag}`;
    const anaDevice = ana.e2ee!.deviceId!;
    expect((await exportedE2ee(chat, anaId)).devices.map((d) => d.deviceId)).toEqual([anaDevice]);
    // The SDK comes back after a kick; the host's sign-in refuses it, so it publishes no new keys.
    const refused = new Promise<ChatError>((resolve) => ana.on('error', (error) => error.code === 'UNAUTHENTICATED' && resolve(error)));
    blocked.add(anaId);
    await chat.eraseUser(anaId);
    await refused;
    await waitFor(async () => expect(await bob.e2ee!.devices(anaId)).toEqual([]));
    await expectNothingLeft(store, anaId, [anaDevice], [roomId]);
    const heard: string[] = [];
    bobRoom.on('message', (m) => heard.push(m.text));
    await bobRoom.send('only me now');
    await waitFor(() => expect(heard).toEqual(['only me now']));
  });
});

eachRedis("a person's e2ee rows", (redis, shared) => {
  it('an erase on one process cuts the devices on the other, whose members commit their removal', { timeout: 60_000 }, async () => {
    const [one, two] = await startClusterChats(2, { authenticate: byToken }, redis(), () => new PostgresStore({ pool: shared.pool() }));
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await one!.chat.createRoom({ id: roomId, options: { encrypted: true } });
    const ana = await device(two!.url, 'ana', roomId);
    const bob = await device(two!.url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    const anaCut = cut(ana);
    await one!.chat.eraseUser(ana.userId);
    await anaCut;
    await waitFor(async () => expect(await groupDeviceIds(bob, roomId)).toEqual([deviceName(bob)]));
    await expectNothingLeft(one!.chat.store, ana.userId, [ana.session.device.deviceId], [roomId]);
    const after = await sendSealed(bob, roomId, 'across processes');
    await expect(ana.session.group(roomId)!.decryptFrom(after.ciphertext!)).rejects.toThrow();
  });
});
