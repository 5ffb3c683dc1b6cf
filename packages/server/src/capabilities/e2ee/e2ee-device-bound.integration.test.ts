// The bound on a user's devices in encrypted rooms (`E2EE_LIMITS.devicesPerUser`), through
// `e2ee:keys:publish` on a real chat server and real sockets: a new device past it is refused
// with a sentence that says what to do; once one is removed, a new one is taken.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { E2EE_LIMITS } from '@chat/protocol';
import { MemoryStore } from '../../store/memory-store.js';
import { encryptedChat } from '../../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request } from '../../../../../test-support/servers.js';

describe('devices per user in encrypted rooms', () => {
  it(`refuses an ${E2EE_LIMITS.devicesPerUser + 1}th device until one is removed`, async () => {
    const { url, chat } = await encryptedChat(() => new MemoryStore());
    const ana = `ana-${randomBytes(4).toString('hex')}`;
    const socket = await rawSocket(url, { token: ana });
    const publish = (deviceId: string) => request(socket, 'e2ee:keys:publish', { deviceId, keyPackages: ['AA=='] });
    for (let i = 0; i < E2EE_LIMITS.devicesPerUser; i++) okData(await publish(`device-${i}`));
    expect(await publish('one-more')).toMatchObject({
      ok: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringMatching(/already has 10 devices .*remove one no longer used \(client\.e2ee\.removeDevice/u) as unknown,
      },
    });
    okData(await publish('device-0'));
    // The removal cuts the sockets that spoke for device-0 (this one): the user comes back on another.
    await chat.removeDevice(ana, 'device-0');
    const again = await rawSocket(url, { token: ana });
    expect(okData(await request(again, 'e2ee:keys:publish', { deviceId: 'one-more', keyPackages: ['AA=='] }))).toEqual({ available: 1 });
  });
});
