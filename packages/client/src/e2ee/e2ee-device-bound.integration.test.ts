// A user at the bound of devices in encrypted rooms (`E2EE_LIMITS.devicesPerUser`) opens one more
// through the SDK: the join says to remove a device; once one is removed, the same client joins
// and talks. Real chat server (memory and PostgreSQL stores), the SDK's ChatClient, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS } from '@chat/protocol';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request, sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';

describe.each(bothStores())('a device past the bound of devices on %s', (_name, makeStore) => {
  it('is refused with a sentence; after the user removes a device it joins and talks', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const [anaId, bobId] = [`ana-${tag}`, `bob-${tag}`];
    const old = await rawSocket(url, { token: bobId });
    for (let i = 0; i < E2EE_LIMITS.devicesPerUser; i++) {
      okData(await request(old, 'e2ee:keys:publish', { deviceId: `old-${i}`, keyPackages: ['AA=='] }));
    }
    const ana = sdkClient(url, { auth: { token: anaId }, e2ee: {} });
    const anaRoom = await ana.join(roomId);
    const bob = sdkClient(url, { auth: { token: bobId }, e2ee: {} });
    await expect(bob.join(roomId)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/remove one no longer used \(client\.e2ee\.removeDevice/u) as unknown,
    });

    expect(await bob.e2ee!.removeDevice('old-0')).toEqual({ rooms: 0 });
    const bobRoom = await bob.join(roomId);
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobId)).toBeDefined());
    await anaRoom.send('room for one more');
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toContain('room for one more'));
  });
});
