// A removed device and the work it had in flight: real chat servers (MemoryStore and PostgresStore),
// real sockets, real MLS, a device's e2ee session on a raw socket. What was under way when the
// removal came writes no key back, and a send the server refuses as a removed device's is the
// removal, as the server's word would be.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChatError, type E2eeSyncResult } from '@chat/protocol';
import { emitRequest } from '../core/transport.js';
import { deviceKeep } from './device-keep.js';
import { E2eeSession, type E2eeHost } from './e2ee-session.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';
import { device, encryptedChat, inGroup } from '../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request, type RawSocket } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';

/** A device of `userId` with a kept store, on a socket a test can replace. */
interface Phone {
  socket: RawSocket;
  session: E2eeSession;
  store: E2eeDeviceStore;
  /** The removals the session told (its host's `removed`). */
  removals: string[];
  reported: unknown[];
}

/**
 * A phone of `userId` in `roomId` (joined, not opened): its session hears none of `deaf` from the
 * server, and `answered` sees each e2ee answer before the session does (and may hold it).
 */
async function phone(
  url: string,
  userId: string,
  roomId: string,
  options: { deaf?: string[]; answered?: (event: string, answer: unknown) => Promise<void> } = {},
): Promise<Phone> {
  const store = memoryE2eeStore();
  const p = { store, removals: [], reported: [] } as unknown as Phone;
  p.socket = await rawSocket(url, { token: userId });
  const host: E2eeHost = {
    report: (error) => p.reported.push(error),
    request: async (event, payload) => {
      const answer = await emitRequest(p.socket, 10_000, event, payload);
      await options.answered?.(event, answer);
      return answer;
    },
    listen: (event, handler) => {
      if (options.deaf?.includes(event)) return () => undefined;
      // socket.io-client's typed `on` cannot follow a generic event name.
      const untyped = p.socket as unknown as { on(e: string, h: unknown): void; off(e: string, h: unknown): void };
      untyped.on(event, handler);
      return () => untyped.off(event, handler);
    },
    removed: (deviceId) => p.removals.push(deviceId),
  };
  p.session = new E2eeSession(host, userId, `phone-${randomBytes(4).toString('hex')}`, deviceKeep(store, url, userId));
  okData(await request(p.socket, 'room:join', { roomId }));
  return p;
}

/** The MLS secrets in a device store: groups, their ratchets and list, key packages' private keys. */
const secrets = async (store: E2eeDeviceStore) =>
  ((await store.keys?.('')) ?? []).filter((key) => /:(group|ratchet):|:held$|:groups$/u.test(key));

describe.each(bothStores())('a removed device on %s', (_name, makeStore) => {
  it('a join from a welcome under way when the removal comes keeps no group and writes no key back', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    await inGroup(ana, roomId);
    const bob = `bob-${roomId}`;
    let held = false;
    // The answer that carries the phone's welcome is held until the removal was told and wiped
    // (the phone only joins the room before the test opens it: `lost` is there by then).
    const answered = async (event: string, answer: unknown) => {
      if (event !== 'e2ee:sync' || (answer as E2eeSyncResult).welcome === undefined || held) return;
      held = true;
      await chat.removeDevice(bob, lost.session.device.deviceId);
      await waitFor(() => expect(lost.removals).toHaveLength(1));
    };
    // Deaf to the server's calls to catch up: the test opens the room until a welcome waits (Ana's
    // device adds the phone once its key packages are published), and that open's answer is held.
    const lost = await phone(url, bob, roomId, { deaf: ['e2ee:welcome', 'e2ee:commit', 'e2ee:pending'], answered });
    await waitFor(async () => {
      if (!held) await lost.session.open(roomId);
      expect(held).toBe(true);
    });

    expect(lost.removals).toEqual([lost.session.device.deviceId]);
    expect(lost.session.removed).toBe(true);
    expect(lost.session.roomIds()).toEqual([]);
    expect(await secrets(lost.store)).toEqual([]);
  });

  it('a send refused as a removed device (it missed the server telling it) is the removal: told once, wiped', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    await inGroup(ana, roomId);
    const bob = `bob-${roomId}`;
    // Deaf to the removal, and to calls to catch up (one on the socket the server cuts would hold
    // the room's work until its request times out).
    const lost = await phone(url, bob, roomId, { deaf: ['e2ee:removed', 'e2ee:commit', 'e2ee:pending'] });
    await lost.session.open(roomId);
    await waitFor(() => expect(lost.session.epoch(roomId)).toBeDefined());
    // Once more, in turn after the join from the welcome: nothing of the room is under way after it.
    await lost.session.open(roomId);
    expect(await secrets(lost.store)).not.toEqual([]);
    // Ana goes away: nobody commits the removal, so the phone's epoch stays current (a stale
    // epoch is answered first, and its catch-up is refused as any e2ee request).
    ana.socket.disconnect();
    const cut = new Promise((resolve) => lost.socket.once('disconnect', resolve));
    await chat.removeDevice(bob, lost.session.device.deviceId);
    await cut;
    // Back on a new socket: the group is still in memory, so the send is sealed and goes out.
    lost.socket = await rawSocket(url, { token: bob });
    okData(await request(lost.socket, 'room:join', { roomId }));
    const send = lost.session.send(roomId, 'from the lost phone', async (sealed) => {
      const answer = await request(lost.socket, 'message:send', { roomId, clientId: randomBytes(8).toString('hex'), ...sealed });
      if (!answer.ok) throw ChatError.fromData(answer.error);
      return answer.data.message;
    });

    await expect(send).rejects.toMatchObject({ code: 'E2EE_DEVICE_REMOVED' });
    expect(lost.removals).toEqual([lost.session.device.deviceId]);
    expect(lost.session.removed).toBe(true);
    expect(await secrets(lost.store)).toEqual([]);
  });
});
