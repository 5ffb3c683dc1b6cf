// A device's key packages are used up as members add it to rooms: the SDK publishes new ones in the
// same session, so that an open client keeps being added (each add takes one, RFC 9420), also when
// claims whose commits lost their race took them (the server says so: `e2ee:keys:low`). Real chat
// servers (memory and PostgreSQL stores), the SDK's ChatClient, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS, type E2eeKeysLowEvent } from '@chat/protocol';
import { byToken } from '../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request, sdkClient, startChat } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { KEY_PACKAGES } from './key-publish.js';

describe.each(bothStores())('key packages of an open client on %s', (_name, makeStore) => {
  it(
    `are published again as members claim them: the client is added to ${KEY_PACKAGES + 2} rooms in one session`,
    { timeout: 90_000 },
    async () => {
      const store = makeStore();
      const { chat, url } = await startChat({ authenticate: byToken, store });
      const tag = randomBytes(4).toString('hex');
      const [anaId, bobId] = [`ana-${tag}`, `bob-${tag}`];
      const ana = sdkClient(url, { auth: { token: anaId }, e2ee: {} });
      const bob = sdkClient(url, { auth: { token: bobId }, e2ee: {} });
      for (let i = 0; i < KEY_PACKAGES + 2; i++) {
        const roomId = `clinic-${tag}-${i}`;
        await chat.createRoom({ id: roomId, options: { encrypted: true } });
        const anaRoom = await ana.join(roomId);
        const bobRoom = await bob.join(roomId);
        // Ana adds Bob's device (with one of its key packages) once he is a member; then he reads.
        await waitFor(async () => {
          const { devices } = await store.e2ee!.userData(bobId);
          expect(devices[0]?.rooms).toContain(roomId);
        });
        await anaRoom.send(`in room ${i}`);
        await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toContain(`in room ${i}`));
      }
      // Still some left for the next room, and never more than the SDK keeps published.
      await waitFor(async () => {
        const [device] = (await store.e2ee!.userData(bobId)).devices;
        expect(device!.keyPackages.length).toBeGreaterThan(0);
        expect(device!.keyPackages.length).toBeLessThanOrEqual(KEY_PACKAGES);
      });
    },
  );

  it('claimed by commits that lost their race (no welcome comes): told when few are left, the client tops up', async () => {
    const store = makeStore();
    const { chat, url } = await startChat({ authenticate: byToken, store });
    const tag = randomBytes(4).toString('hex');
    const bobId = `bob-${tag}`;
    const bob = sdkClient(url, { auth: { token: bobId }, e2ee: {} });
    const own = `own-${tag}`;
    await chat.createRoom({ id: own, options: { encrypted: true } });
    await bob.join(own);
    const held = async () => (await store.e2ee!.userData(bobId)).devices[0]?.keyPackages.length;
    await waitFor(async () => expect(await held()).toBe(KEY_PACKAGES));
    const told: E2eeKeysLowEvent[] = [];
    bob.socket.on('e2ee:keys:low', (event) => told.push(event));

    // Carol's device claims Bob's key packages for a room he is a member of, and never commits (as
    // a member whose commit lost its race): no welcome comes to Bob.
    const roomId = `clinic-${tag}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    await chat.addMembers(roomId, [bobId]);
    const carol = await rawSocket(url, { token: `carol-${tag}` });
    okData(await request(carol, 'room:join', { roomId }));
    const claim = async () =>
      okData(await request(carol, 'e2ee:keys:claim', { roomId, deviceId: 'carol-phone', userIds: [bobId] })).keyPackages;
    const claims = KEY_PACKAGES - E2EE_LIMITS.keyPackagesLow;
    for (let i = 0; i < claims; i++) expect(await claim()).toHaveLength(1);

    // Told (each claim's count is read after it, so a late one may count later claims too), and it publishes again.
    await waitFor(() => expect(told.length).toBeGreaterThan(0));
    for (const event of told) expect(event).toEqual({ deviceId: bob.e2ee!.deviceId, available: expect.any(Number) as unknown });
    expect(Math.max(...told.map((e) => e.available))).toBeLessThanOrEqual(E2EE_LIMITS.keyPackagesLow);
    await waitFor(async () => expect(await held()).toBe(KEY_PACKAGES));
  });
});
