// Two pages of one browser open at once for one user, sharing the IndexedDB device store: each is
// a device of its own (its slot of the store, held by a Web Lock), both read and send, and a page
// that comes back after the first closed is the first's device again. Real chat servers (memory
// and PostgreSQL stores), real SDK clients, real MLS; IndexedDB is fake-indexeddb's and the locks a
// stand-in with Web Locks' semantics (Node 20 has neither; the widget's browser suites run the real ones).
import { randomBytes } from 'node:crypto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { DEVICE_SLOTS } from './device-slot.js';
import type { E2eeLocks } from './e2ee-store.js';
import { indexedDbE2eeStore } from './indexeddb-e2ee-store.js';

/** Web Locks' exclusive mode for one origin: `ifAvailable`, a `signal` that gives up waiting, held until the callback settles. */
function originLocks(): E2eeLocks {
  const held = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const take = async (name: string, callback: (lock: object | null) => Promise<void> | undefined) => {
    held.add(name);
    try {
      await callback({ name });
    } finally {
      held.delete(name);
      waiting.get(name)?.shift()?.();
    }
  };
  return {
    request: (name, options, callback) => {
      if (!held.has(name)) return take(name, callback);
      if (options.ifAvailable === true) return Promise.resolve(callback(null));
      return new Promise<void>((resolve, reject) => {
        const turn = () => void take(name, callback).then(resolve, reject);
        const queue = waiting.get(name) ?? [];
        waiting.set(name, [...queue, turn]);
        options.signal?.addEventListener('abort', () => {
          waiting.set(
            name,
            (waiting.get(name) ?? []).filter((t) => t !== turn),
          );
          reject(new Error('The lock request was aborted.'));
        });
      });
    },
  };
}

describe.each(bothStores())('two pages of one user sharing a device store, on %s', (_name, makeStore) => {
  it('are two devices: both read and send; the first closed, the next page is its device again', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = `ana-${randomBytes(4).toString('hex')}`;
    const [indexedDB, locks] = [new IDBFactory(), originLocks()];
    const page = () => sdkClient(url, { auth: { token: ana }, e2ee: { store: indexedDbE2eeStore({ indexedDB, locks }) } });
    const first = page();
    const firstRoom = await first.join(roomId);
    const second = page();
    const secondRoom = await second.join(roomId);
    const bob = sdkClient(url, { auth: { token: `bob-${ana}` }, e2ee: {} });
    const bobRoom = await bob.join(roomId);
    expect(first.e2ee!.deviceId).toBeDefined();
    expect(second.e2ee!.deviceId).not.toBe(first.e2ee!.deviceId);
    await waitFor(async () => expect((await bob.e2ee!.devices(ana)).map((d) => d.deviceId).sort()).toHaveLength(2));

    await firstRoom.send('from the first tab');
    await secondRoom.send('from the second tab');
    const texts = (room: typeof bobRoom) => room.messages.map((m) => m.text);
    await waitFor(() => expect(texts(bobRoom)).toEqual(['from the first tab', 'from the second tab']));
    await waitFor(() => expect(texts(secondRoom)).toContain('from the first tab'));
    await waitFor(() => expect(texts(firstRoom)).toContain('from the second tab'));
    await bobRoom.send('both heard');
    await waitFor(() => expect(texts(firstRoom)).toContain('both heard'));
    await waitFor(() => expect(texts(secondRoom)).toContain('both heard'));
    expect(firstRoom.messages.concat(secondRoom.messages).filter((m) => m.undecryptable === true)).toEqual([]);

    // The first tab closes; the next page takes its slot: the same device, reading what it read.
    const firstDevice = first.e2ee!.deviceId;
    first.close();
    const again = page();
    const againRoom = await again.join(roomId);
    expect(again.e2ee!.deviceId).toBe(firstDevice);
    await waitFor(() => expect(texts(againRoom)).toEqual(['from the first tab', 'from the second tab', 'both heard']));
    expect(againRoom.messages.filter((m) => m.undecryptable === true)).toEqual([]);
  });

  it(`refuses a page past ${DEVICE_SLOTS} of one user at once, saying why`, async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = `ana-${randomBytes(4).toString('hex')}`;
    const [indexedDB, locks] = [new IDBFactory(), originLocks()];
    const store = indexedDbE2eeStore({ indexedDB, locks });
    // Every slot held by other pages (as their locks would be).
    for (let slot = 0; slot < DEVICE_SLOTS; slot++) {
      const name = `chat-e2ee-device:${JSON.stringify(['chat-e2ee', new URL('/', url).href, ana, slot])}`;
      void locks.request(name, {}, () => new Promise<void>(() => undefined));
    }
    const page = sdkClient(url, { auth: { token: ana }, e2ee: { store } });
    await expect(page.join(roomId)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/open in 10 pages/u) as unknown,
    });
  });
});
