// A device learns that its user removed it: real chat servers (MemoryStore and PostgresStore),
// real SDK clients, real MLS. Told live or, when it was away, by the server's refusal, or by its
// own store at the next start; then it wipes its MLS state and asks the server nothing more.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatClient } from '../chat-client.js';
import type { E2eeDeviceStore } from './e2ee-store.js';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { bothStores } from '../../../../test-support/stores.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const stores = bothStores();

/** A device store whose records a test can look at; `failing` makes its deletes fail, `listing: false` takes away `keys`. */
function lookableStore(options: { listing?: boolean } = {}): E2eeDeviceStore & { records: Map<string, string>; failing: boolean } {
  const records = new Map<string, string>();
  const store = {
    records,
    failing: false,
    get: (key: string) => Promise.resolve(records.get(key)),
    set: (key: string, value: string) => Promise.resolve(void records.set(key, value)),
    delete: (key: string) =>
      store.failing ? Promise.reject(new Error('The store is closed.')) : Promise.resolve(void records.delete(key)),
    keys: (prefix: string) => Promise.resolve([...records.keys()].filter((key) => key.startsWith(prefix))),
  };
  if (options.listing === false) delete (store as { keys?: unknown }).keys;
  return store;
}

/** The e2ee requests a client sends from now on (`e2ee:*` events on its socket). */
function e2eeRequests(client: ChatClient): string[] {
  const sent: string[] = [];
  client.socket.onAnyOutgoing((event: string) => {
    if (event.startsWith('e2ee:')) sent.push(event);
  });
  return sent;
}

/** The client's `e2ee:removed` events. */
function removals(client: ChatClient): Array<{ deviceId: string }> {
  const told: Array<{ deviceId: string }> = [];
  client.on('e2ee:removed', (event) => told.push(event));
  return told;
}

/** Records of MLS secrets in a device store: groups, ratchets, key packages' private keys. */
const secrets = (store: { records: Map<string, string> }) =>
  [...store.records.keys()].filter((key) => /:(group|ratchet):|:held$|:groups$/u.test(key));

/**
 * Bob's two devices: his laptop, joined to `roomId`, and a way to start his phone's client (again,
 * as after a reload) on a store the test can look into.
 */
async function bobsDevices(url: string, roomId: string, phoneStore: ReturnType<typeof lookableStore>) {
  const tag = randomBytes(4).toString('hex');
  const phoneClient = () => sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: { store: phoneStore } });
  const laptop = sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: {} });
  await laptop.join(roomId);
  return { tag, phoneClient, laptop };
}

describe.each(stores)('a removed device learns it on %s', (_name, makeStore) => {
  it('told live: the SDK says e2ee:removed once, wipes its MLS state, and asks nothing more', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const phoneStore = lookableStore();
    const ana = sdkClient(url, { auth: { token: `ana-${tag}` }, e2ee: {} });
    const phone = sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: { store: phoneStore } });
    const laptop = sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: {} });
    const anaRoom = await ana.join(roomId);
    const phoneRoom = await phone.join(roomId);
    await laptop.join(roomId);
    const lost = phone.e2ee!.deviceId!;
    await waitFor(async () => expect((await laptop.e2ee!.devices(`bob-${tag}`)).map((d) => d.deviceId)).toContain(lost));
    await waitFor(() => expect(secrets(phoneStore).some((key) => key.includes(':group:'))).toBe(true));
    const told = removals(phone);

    await laptop.e2ee!.removeDevice(lost);
    await waitFor(() => expect(told).toEqual([{ deviceId: lost }]));
    // From the moment it knows (requests of its own catch-ups before may still be in flight).
    const asked = e2eeRequests(phone);
    expect(phone.e2ee!.removed).toBe(true);
    await waitFor(() => expect(secrets(phoneStore)).toEqual([]));
    // The server cut it; the client comes back (plain rooms go on) and the encrypted room with it.
    await waitFor(() => expect(phone.state).toBe('connected'));
    await waitFor(() => expect(phoneRoom.state).toBe('joined'));
    // The others remove it from the group and talk on; it reads nothing new and sends nothing.
    await waitFor(async () => expect((await ana.e2ee!.devices(`bob-${tag}`)).map((d) => d.deviceId)).not.toContain(lost));
    const sent = await anaRoom.send('after the phone was lost');
    const shown = await waitFor(() => {
      const found = phoneRoom.messages.find((m) => m.id === sent.id);
      expect(found).toBeDefined();
      return found!;
    });
    expect(shown).toMatchObject({ text: '', undecryptable: true });
    await expect(phoneRoom.send('from the lost phone')).rejects.toMatchObject({ code: 'E2EE_DEVICE_REMOVED' });
    expect(asked).toEqual([]);
    expect(told).toHaveLength(1);
  });

  it('away when removed: it learns from the refusal at its next join, then from its own store, asking nothing', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const phoneStore = lookableStore();
    const { tag, phoneClient, laptop } = await bobsDevices(url, roomId, phoneStore);
    const away = phoneClient();
    await away.join(roomId);
    const lost = away.e2ee!.deviceId!;
    await waitFor(async () => expect((await laptop.e2ee!.devices(`bob-${tag}`)).map((d) => d.deviceId)).toContain(lost));
    away.close();
    await laptop.e2ee!.removeDevice(lost);

    // Back (a reload: the same store, the same device): the join goes through, and the device knows.
    const back = phoneClient();
    const told = removals(back);
    const room = await back.join(roomId);
    expect(back.e2ee!.deviceId).toBe(lost);
    expect(told).toEqual([{ deviceId: lost }]);
    expect(back.e2ee!.removed).toBe(true);
    expect(room.encrypted).toBe(true);
    expect(secrets(phoneStore)).toEqual([]);
    back.close();

    // Once more: its store says so at once, and it asks the server nothing for encrypted rooms.
    const again = phoneClient();
    const toldAgain = removals(again);
    const asked = e2eeRequests(again);
    await again.join(roomId);
    expect(toldAgain).toEqual([{ deviceId: lost }]);
    expect(asked).toEqual([]);
  });

  it.each([
    ['a store that lists its keys, its groups kept before the SDK listed them', { listing: true, unlisted: true }],
    ['a store that cannot list its keys', { listing: false, unlisted: false }],
  ])('every group it kept is wiped, also of rooms not opened since it started: %s', async (_case, { listing, unlisted }) => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const other = `${roomId}-other`;
    await chat.createRoom({ id: other, options: { encrypted: true } });
    const phoneStore = lookableStore({ listing });
    const { tag, phoneClient, laptop } = await bobsDevices(url, roomId, phoneStore);
    // The phone keeps both rooms' groups, then a reload opens one room only.
    const before = phoneClient();
    await before.join(roomId);
    await before.join(other);
    await waitFor(() => expect(secrets(phoneStore).filter((key) => key.includes(':group:'))).toHaveLength(2));
    before.close();
    if (unlisted) for (const key of [...phoneStore.records.keys()]) if (key.endsWith(':groups')) phoneStore.records.delete(key);
    const phone = phoneClient();
    const told = removals(phone);
    await phone.join(roomId);
    const lost = phone.e2ee!.deviceId!;
    await waitFor(async () => expect((await laptop.e2ee!.devices(`bob-${tag}`)).map((d) => d.deviceId)).toContain(lost));

    await laptop.e2ee!.removeDevice(lost);
    await waitFor(() => expect(told).toEqual([{ deviceId: lost }]));
    expect(secrets(phoneStore)).toEqual([]);
  });

  it('a wipe that fails is reported, the removal still told and kept; the next start finishes it, asking nothing', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const phoneStore = lookableStore();
    const { tag, phoneClient, laptop } = await bobsDevices(url, roomId, phoneStore);
    const phone = phoneClient();
    const told = removals(phone);
    const errors: unknown[] = [];
    phone.on('error', (error) => errors.push(error));
    await phone.join(roomId);
    const lost = phone.e2ee!.deviceId!;
    await waitFor(async () => expect((await laptop.e2ee!.devices(`bob-${tag}`)).map((d) => d.deviceId)).toContain(lost));
    // IndexedDB closed under it, or its quota: every delete fails.
    phoneStore.failing = true;

    await laptop.e2ee!.removeDevice(lost);
    await waitFor(() => expect(told).toEqual([{ deviceId: lost }]));
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'E2EE_DEVICE_REMOVED',
        message: expect.stringMatching(/deleting its encryption keys .* failed/u) as unknown,
      }),
    ]);
    expect(secrets(phoneStore)).not.toEqual([]);
    expect(phone.e2ee!.removed).toBe(true);
    phone.close();

    // The store works again: the next start knows the removal from it, wipes, and asks the server nothing.
    phoneStore.failing = false;
    const again = phoneClient();
    const toldAgain = removals(again);
    const asked = e2eeRequests(again);
    await again.join(roomId);
    expect(toldAgain).toEqual([{ deviceId: lost }]);
    expect(secrets(phoneStore)).toEqual([]);
    expect(asked).toEqual([]);
  });
});
