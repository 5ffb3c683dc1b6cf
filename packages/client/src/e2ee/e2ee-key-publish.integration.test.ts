// A device's key-package publish whose connection drops before the server's answer: whether the
// server kept them or not, the device ends with its key packages on the server once (never twice),
// holds the private keys of those alone (none of a batch the server never had), and a member adds it. The server cuts the device's socket itself, right after (or instead of)
// storing them. Real chat servers (memory and PostgreSQL stores), the SDK's ChatClient, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatServer, ChatStore, E2eeStore } from '@chat/server';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request, sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { KEY_PACKAGES } from './key-publish.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import { MlsDevice } from './mls-device.js';

/** The key packages whose private keys a device keeps in its store (its `held` record). */
async function heldKeyPackages(store: E2eeDeviceStore): Promise<string[]> {
  const [key, ...more] = await store.keys!('');
  const records = [key, ...more].filter((k): k is string => k !== undefined && k.endsWith(':held'));
  expect(records).toHaveLength(1);
  return Object.keys(JSON.parse((await store.get(records[0]!))!) as Record<string, unknown>).sort();
}

/** Whether the store keeps the publish whose connection is cut (before the answer) or never sees it. */
const cuts: Array<[string, boolean]> = [
  ['its answer is lost (the server kept them)', true],
  ['it is lost before the server keeps them', false],
];

// The store's e2ee part, whose first publish with key packages for `userId` cuts that user's sockets.
function cutFirstPublish(chat: ChatServer, store: ChatStore, userId: string, keep: boolean): E2eeStore {
  const e2ee = store.e2ee!;
  const publish = e2ee.publishKeyPackages.bind(e2ee);
  let cut = false;
  e2ee.publishKeyPackages = async (device, keyPackages, ...bounds) => {
    const first = !cut && device.userId === userId && keyPackages.length > 0;
    const held = first && !keep ? 0 : await publish(device, keyPackages, ...bounds);
    if (first) {
      cut = true;
      for (const socket of chat.io.of('/').sockets.values()) if (socket.handshake.auth.token === userId) socket.disconnect(true);
    }
    return held;
  };
  return e2ee;
}

describe.each(bothStores())('a key-package publish cut off on %s', (_name, makeStore) => {
  it.each(cuts)('%s: the server ends with one batch of its key packages (asked, never sent twice), and it is added', async (_cut, keep) => {
    const { chat, store, url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const [anaId, bobId] = [`ana-${tag}`, `bob-${tag}`];
    const e2ee = cutFirstPublish(chat, store, bobId, keep);
    const ana = sdkClient(url, { auth: { token: anaId }, e2ee: {} });
    const anaRoom = await ana.join(roomId);
    const bobStore = memoryE2eeStore();
    const bob = sdkClient(url, { auth: { token: bobId }, e2ee: { store: bobStore } });
    const bobRoom = await bob.join(roomId);

    await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobId)).toBeDefined());
    await anaRoom.send('after the cut');
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toContain('after the cut'));
    // Ana's add took one, and Bob's client topped up again after its welcome: the server holds one
    // batch (twice would leave more), published again only when the server had none.
    await waitFor(async () => {
      const [device, ...others] = (await e2ee.userData(bobId)).devices;
      expect(others).toEqual([]);
      expect(device).toMatchObject({ deviceId: bob.e2ee!.deviceId, rooms: [roomId] });
      expect(device!.keyPackages).toHaveLength(KEY_PACKAGES);
      // Its private keys are those of the key packages the server holds: none of a batch it never had.
      expect(await heldKeyPackages(bobStore)).toEqual([...device!.keyPackages].sort());
    });
  });

  it('keeps a batch once: sent again under its id (also after a later batch) it keeps nothing more; a publish of none with an id says whether it has that batch', async () => {
    const { chat, url, roomId } = await encryptedChat(makeStore);
    const userId = `bob-${randomBytes(4).toString('hex')}`;
    const socket = await rawSocket(url, { token: userId });
    okData(await request(socket, 'room:join', { roomId }));
    const device = new MlsDevice(userId, 'laptop');
    const first = await device.newKeyPackages(2);
    const publish = (keyPackages: string[], batch?: string) =>
      request(socket, 'e2ee:keys:publish', { deviceId: 'laptop', keyPackages, ...(batch !== undefined && { batch }) });
    expect(okData(await publish([], 'never-sent'))).toEqual({ available: 0, batch: null });
    expect(okData(await publish(first, 'batch-1'))).toEqual({ available: 2, batch: 'batch-1' });
    // Sent again (its answer was lost): kept once.
    expect(okData(await publish(first, 'batch-1'))).toEqual({ available: 2, batch: 'batch-1' });
    expect(okData(await publish([], 'batch-1'))).toEqual({ available: 2, batch: 'batch-1' });
    expect(okData(await publish([], 'batch-0'))).toEqual({ available: 2, batch: null });
    const second = await device.newKeyPackages(1);
    expect(okData(await publish(second, 'batch-2'))).toEqual({ available: 3, batch: 'batch-2' });
    // batch-1's first send, stalled, arriving after batch-2: kept once all the same.
    expect(okData(await publish(first, 'batch-1'))).toEqual({ available: 3, batch: 'batch-1' });
    // Without an id: as before, no batch in the answer.
    expect(okData(await publish([]))).toEqual({ available: 3 });
    expect((await chat.store.e2ee!.userData(userId)).devices[0]!.keyPackages).toEqual([...first, ...second]);
    expect(await publish([], 'has space')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/batch/u) as unknown },
    });
  });
});
