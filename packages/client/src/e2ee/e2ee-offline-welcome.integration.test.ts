// A device added while it is offline: its welcome waits on the server until it comes back, and it
// then reads what was said after its add, not before. Real chat servers (memory and PostgreSQL
// stores), the SDK's ChatClient on a device store kept across its two sessions, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { byToken } from '../../../../test-support/e2ee-devices.js';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { memoryE2eeStore } from './e2ee-store.js';

describe.each(bothStores())('a device added while offline on %s', (_name, makeStore) => {
  it('gets its welcome when it comes back, and reads from its add on', async () => {
    const store = makeStore();
    const { chat, url } = await startChat({ authenticate: byToken, store });
    const tag = randomBytes(4).toString('hex');
    const [anaId, bobId] = [`ana-${tag}`, `bob-${tag}`];
    const [first, clinic] = [`first-${tag}`, `clinic-${tag}`];
    for (const id of [first, clinic]) await chat.createRoom({ id, options: { encrypted: true } });
    const ana = sdkClient(url, { auth: { token: anaId }, e2ee: {} });
    const anaClinic = await ana.join(clinic);
    await anaClinic.send('before bob was added');
    // Bob's device publishes its key packages in a first room, then goes offline.
    const bobStore = memoryE2eeStore();
    const bob = sdkClient(url, { auth: { token: bobId }, e2ee: { store: bobStore } });
    await bob.join(first);
    const bobDevice = bob.e2ee!.deviceId!;
    await waitFor(async () => expect((await store.e2ee!.userData(bobId)).devices[0]?.rooms).toEqual([first]));
    bob.close();

    // The host adds him to the clinic: Ana's device, asked by the server, adds his device there.
    await chat.addMembers(clinic, [bobId]);
    await waitFor(async () => {
      const { devices, welcomes } = await store.e2ee!.userData(bobId);
      expect(devices[0]).toMatchObject({ deviceId: bobDevice, rooms: [clinic, first].sort() });
      expect(welcomes.map((w) => [w.roomId, w.deviceId])).toEqual([[clinic, bobDevice]]);
    });
    await anaClinic.send('while bob was offline');

    // Back, the same device (its store): it joins from the stored welcome and reads from its add on.
    const bobAgain = sdkClient(url, { auth: { token: bobId }, e2ee: { store: bobStore } });
    const bobClinic = await bobAgain.join(clinic);
    expect(bobAgain.e2ee!.deviceId).toBe(bobDevice);
    await waitFor(() =>
      expect(bobClinic.messages.map((m) => [m.text, m.undecryptable ?? false])).toEqual([
        ['', true],
        ['while bob was offline', false],
      ]),
    );
    await bobClinic.send('back');
    await waitFor(() => expect(anaClinic.messages.map((m) => m.text)).toContain('back'));
  });
});
