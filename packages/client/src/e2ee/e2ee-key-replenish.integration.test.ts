// A device's key packages are used up as members add it to rooms: the SDK publishes new ones in the
// same session, so that an open client keeps being added (each add takes one, RFC 9420). Real chat
// servers (memory and PostgreSQL stores), the SDK's ChatClient, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { byToken } from '../../../../test-support/e2ee-devices.js';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
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
});
