// Removing one device of a user (a lost phone) from encrypted rooms: real chat servers (MemoryStore
// and PostgresStore; two processes on Redis and on a Redis Cluster), real sockets, real MLS. The
// user's other devices keep reading and sending; the removed one is cut, refused, and opens nothing
// said after.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '@chat/server/postgres';
import { eachRedis, startClusterChats } from '../../../../test-support/cluster.js';
import {
  byToken,
  device,
  deviceName,
  encryptedChat,
  groupDeviceIds,
  receivedBy,
  sameEpoch,
  sendSealed,
  type Device,
} from '../../../../test-support/e2ee-devices.js';
import { sealPlaintext } from './sealed-text.js';
import { bothStores } from '../../../../test-support/stores.js';
import { okData, rawSocket, request, sdkClient } from '../../../../test-support/servers.js';
import { WAIT_MS, waitFor } from '../../../../test-support/wait.js';

const stores = bothStores();

/**
 * The device's socket is cut; resolves with the `e2ee:removed` events it was told before. Fails
 * after {@link WAIT_MS} saying what the socket saw (a cut that never comes fails this step, not
 * the whole test's budget).
 */
const cut = (d: Device) =>
  new Promise<unknown[]>((resolve, reject) => {
    const told: unknown[] = [];
    d.socket.on('e2ee:removed', (event) => told.push(event));
    const timer = setTimeout(
      () => reject(new Error(`not cut within ${WAIT_MS} ms (connected: ${d.socket.connected}; told ${JSON.stringify(told)})`)),
      WAIT_MS,
    );
    d.socket.once('disconnect', () => {
      clearTimeout(timer);
      resolve(told);
    });
  });
const removed = {
  ok: false,
  error: { code: 'E2EE_DEVICE_REMOVED', message: expect.stringMatching(/was removed from .* devices/u) as unknown },
};

describe.each(stores)('removing one device of a user on %s', (_name, makeStore) => {
  it('the other devices read and send on; the removed one is cut, refused, and opens nothing said after', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const phone = await device(url, 'bob', roomId);
    const laptop = await device(url, 'bob', roomId, { userId: phone.userId });
    await sameEpoch([ana, phone, laptop], roomId);
    const phoneId = phone.session.device.deviceId;
    // What an SDK that ignores the removal (or a modified one) would keep.
    const kept = phone.session.group(roomId)!;

    const phoneCut = cut(phone);
    expect(okData(await request(laptop.socket, 'e2ee:device:remove', { deviceId: phoneId }))).toEqual({ rooms: 1 });
    // Told first, then cut: the SDK stops instead of trying again.
    expect(await phoneCut).toEqual([{ deviceId: phoneId }]);
    // A remaining member's device, asked by the server, commits the removal.
    await waitFor(async () => expect(await groupDeviceIds(ana, roomId)).toEqual([deviceName(ana), deviceName(laptop)].sort()));
    await sameEpoch([ana, laptop], roomId);

    const after = await sendSealed(ana, roomId, 'after the phone was lost');
    expect(await laptop.session.read(await receivedBy(laptop, after.id))).toBe('after the phone was lost');
    const fromLaptop = await sendSealed(laptop, roomId, 'on my laptop now');
    expect(await ana.session.read(await receivedBy(ana, fromLaptop.id))).toBe('on my laptop now');
    // The phone's keys are of an epoch before its removal: MLS itself shuts it out.
    await expect(kept.decryptFrom(after.ciphertext!)).rejects.toThrow();
    // The SDK's session, told, wiped its group and asks nothing more.
    expect(phone.session.removed).toBe(true);
    expect(phone.session.group(roomId)).toBeUndefined();

    // The phone comes back on a new connection (its user is still a member): the server refuses it.
    phone.socket = await rawSocket(url, { token: phone.userId });
    okData(await request(phone.socket, 'room:join', { roomId }));
    expect(await phone.session.read({ ...after, id: 'copy-for-the-phone' })).toBeUndefined();
    expect(await request(phone.socket, 'e2ee:sync', { roomId, deviceId: phoneId })).toMatchObject(removed);
    // It claims nothing: not naming itself, nor naming no device.
    const claim = { roomId, deviceId: phoneId, userIds: [ana.userId] };
    expect(await request(phone.socket, 'e2ee:keys:claim', claim)).toMatchObject(removed);
    const { deviceId: _, ...nameless } = claim;
    expect(await request(phone.socket, 'e2ee:keys:claim', nameless as never)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/deviceId/u) as unknown },
    });
    expect(await request(phone.socket, 'e2ee:keys:publish', { deviceId: phoneId, keyPackages: ['AA=='] })).toMatchObject(removed);
    expect(await request(phone.socket, 'e2ee:keys:held', { deviceId: phoneId, keyPackages: ['AA=='] })).toMatchObject(removed);
    const epoch = okData(await request(ana.socket, 'e2ee:sync', { roomId, deviceId: ana.session.device.deviceId })).epoch;
    const commit = { roomId, deviceId: phoneId, epoch, commit: 'AA==' };
    expect(await request(phone.socket, 'e2ee:commit', commit)).toMatchObject(removed);
    const send = { roomId, clientId: 'lost-1', text: '', ciphertext: 'AA==', epoch, deviceId: phoneId };
    expect(await request(phone.socket, 'message:send', send)).toMatchObject(removed);
    const { deviceId: __, ...unnamed } = send;
    expect(await request(phone.socket, 'message:send', unnamed)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('until a member commits the removal, the removed device is refused and its old keys are all it has', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const phone = await device(url, 'bob', roomId);
    await sameEpoch([ana, phone], roomId);
    // Nobody is there to commit the removal for now. Ana's catch-up may still be running (the
    // same epoch is reached before its last sync): her open waits for it, so none commits later.
    await ana.session.open(roomId);
    ana.session.close();
    const phoneId = phone.session.device.deviceId;
    // What an SDK that ignores the removal (or a modified one) would keep.
    const group = phone.session.group(roomId)!;
    const phoneCut = cut(phone);
    expect(await chat.removeDevice(phone.userId, phoneId)).toEqual({ rooms: 1 });
    await phoneCut;
    expect(await groupDeviceIds(ana, roomId)).toEqual([deviceName(ana), deviceName(phone)].sort());

    // The phone still holds the current epoch's keys: its sealed message, naming it, is refused.
    phone.socket = await rawSocket(url, { token: phone.userId });
    okData(await request(phone.socket, 'room:join', { roomId }));
    await expect(phone.session.seal(roomId, { text: 'the SDK will not', attachments: [] })).rejects.toMatchObject({
      code: 'E2EE_DEVICE_REMOVED',
    });
    const ciphertext = await group.encrypt(sealPlaintext(phone.userId, { text: 'still here', attachments: [] }));
    const sealed = { text: '', ciphertext, epoch: group.epoch, deviceId: phoneId };
    expect(group.epoch).toBe(await sameEpoch([ana], roomId));
    const refused = await request(phone.socket, 'message:send', { roomId, clientId: 'lost-2', ...sealed });
    expect(refused).toMatchObject(removed);
    expect((await chat.store.listMessages(roomId, { limit: 10 })).messages).toEqual([]);

    // Ana comes back and, asked to, commits the removal.
    await ana.session.open(roomId);
    expect(await groupDeviceIds(ana, roomId)).toEqual([deviceName(ana)]);
  });

  it('a request the removal refuses before its cut arrives leaves the socket where the cut finds it', async () => {
    const { url, chat, store, roomId } = await encryptedChat(makeStore);
    const phone = await device(url, 'bob', roomId);
    const phoneId = phone.session.device.deviceId;
    const room = `#device:${phoneId}:${phone.userId}`; // deviceRoom() of the server
    expect((await chat.io.in(room).fetchSockets()).map((s) => s.id)).toEqual([phone.socket.id]);
    // Recorded, as the process that removes it does first; its cut is still on its way here.
    expect(await store.e2ee!.removeDevice({ userId: phone.userId, deviceId: phoneId })).toEqual([roomId]);
    expect(await request(phone.socket, 'e2ee:keys:held', { deviceId: phoneId, keyPackages: ['AA=='] })).toMatchObject(removed);
    // Refused, and still in its device's room: the cut that comes next finds it.
    expect((await chat.io.in(room).fetchSockets()).map((s) => s.id)).toEqual([phone.socket.id]);
    const phoneCut = cut(phone);
    await chat.removeDevice(phone.userId, phoneId).catch(() => undefined); // the cut (the record is there already)
    expect(await phoneCut).toEqual([{ deviceId: phoneId }]);
  });

  it('only the owner removes a device: another user, an unknown device and a bad id are refused, and nothing changes', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    const bobId = bob.session.device.deviceId;
    expect(await request(ana.socket, 'e2ee:device:remove', { deviceId: bobId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/can remove only their own devices/u) as unknown },
    });
    await expect(chat.removeDevice(bob.userId, 'never-seen')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    for (const bad of [{}, { deviceId: '' }, { deviceId: 'has space' }, { deviceId: 'x'.repeat(65) }, { deviceId: 7 }]) {
      expect(await request(bob.socket, 'e2ee:device:remove', bad as never)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/deviceId|payload/u) as unknown },
      });
    }
    await expect(chat.removeDevice(bob.userId, 'no spaces allowed')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bob.socket.connected).toBe(true);
    expect(await groupDeviceIds(ana, roomId)).toEqual([deviceName(ana), deviceName(bob)].sort());
    const still = await sendSealed(bob, roomId, 'still mine');
    expect(await ana.session.read(await receivedBy(ana, still.id))).toBe('still mine');
  });

  it('client.e2ee.removeDevice: the SDK removes a lost device of its user; the others keep talking', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const client = (token: string) => sdkClient(url, { auth: { token: `${token}-${tag}` }, e2ee: {} });
    const ana = client('ana');
    const phone = client('bob');
    const laptop = client('bob');
    const anaRoom = await ana.join(roomId);
    await phone.join(roomId);
    const laptopRoom = await laptop.join(roomId);
    const bobId = laptopRoom.self!.id;
    await waitFor(async () => expect(await ana.e2ee!.devices(bobId)).toHaveLength(2));
    const lost = phone.e2ee!.deviceId!;
    await waitFor(async () => expect((await laptop.e2ee!.devices(bobId)).map((d) => d.deviceId)).toContain(lost));

    expect(await laptop.e2ee!.removeDevice(lost)).toEqual({ rooms: 1 });
    await waitFor(async () => expect((await ana.e2ee!.devices(bobId)).map((d) => d.deviceId)).toEqual([laptop.e2ee!.deviceId]));
    const heard: string[] = [];
    laptopRoom.on('message', (m) => heard.push(m.text));
    await anaRoom.send('did you find it?');
    await waitFor(() => expect(heard).toEqual(['did you find it?']));
    await expect(ana.e2ee!.removeDevice(lost)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

eachRedis('removing a device', (redis, shared) => {
  // Two servers, three devices and their MLS work: more than the default budget on a busy machine.
  it("the device's sockets on the other process are cut, and a member there commits the removal", { timeout: 60_000 }, async () => {
    const [one, two] = await startClusterChats(2, { authenticate: byToken }, redis(), () => new PostgresStore({ pool: shared.pool() }));
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await one!.chat.createRoom({ id: roomId, options: { encrypted: true } });
    const laptop = await device(one!.url, 'bob', roomId);
    const ana = await device(two!.url, 'ana', roomId);
    const phone = await device(two!.url, 'bob', roomId, { userId: laptop.userId });
    await sameEpoch([ana, phone, laptop], roomId);

    const phoneId = phone.session.device.deviceId;
    const kept = phone.session.group(roomId)!;
    const phoneCut = cut(phone);
    okData(await request(laptop.socket, 'e2ee:device:remove', { deviceId: phoneId }));
    // Removed on process one, told and cut on process two.
    expect(await phoneCut).toEqual([{ deviceId: phoneId }]);
    await waitFor(async () => expect(await groupDeviceIds(laptop, roomId)).toEqual([deviceName(ana), deviceName(laptop)].sort()));
    await sameEpoch([ana, laptop], roomId);
    const after = await sendSealed(ana, roomId, 'across processes');
    expect(await laptop.session.read(await receivedBy(laptop, after.id))).toBe('across processes');
    await expect(kept.decryptFrom(after.ciphertext!)).rejects.toThrow();

    // Back on process two: it claims nothing there either.
    phone.socket = await rawSocket(two!.url, { token: phone.userId });
    okData(await request(phone.socket, 'room:join', { roomId }));
    const claim = { roomId, deviceId: phoneId, userIds: [ana.userId] };
    expect(await request(phone.socket, 'e2ee:keys:claim', claim)).toMatchObject(removed);
  });
});
