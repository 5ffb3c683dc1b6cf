// A user's own devices in a group their device creates: each device is in the group once.
import { describe, expect, it } from 'vitest';
import { device, encryptedChat, groupDeviceIds, inGroup, receivedBy, sendSealed } from '../../../../test-support/e2ee-devices.js';
import { okData, request } from '../../../../test-support/servers.js';
import { keyPackageIdentity } from './mls-group.js';
import { bothStores } from '../../../../test-support/stores.js';

describe.each(bothStores())('a device creating a group on %s', (_name, makeStore) => {
  it("adds its user's other devices, never itself again: one member per device, and the other device reads", async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = `ana-${roomId}`;
    // Ana's tablet already has key packages on the server (it opened another encrypted room).
    const other = `other-${roomId}`;
    await chat.createRoom({ id: other, options: { encrypted: true } });
    const tablet = await device(url, 'ana', other, { userId: ana, deviceId: 'tablet' });
    await inGroup(tablet, other);

    // Her phone opens the new room first: it creates the group and adds her tablet (and its own
    // key packages, published as it opened, are not offered back to it).
    const phone = await device(url, 'ana', roomId, { userId: ana, deviceId: 'phone' });
    await inGroup(phone, roomId);
    // What the server answered the phone's claim: the tablet's key package alone (under the
    // tablet's own identity), never one of the claiming phone's.
    expect(phone.claims).toEqual([{ keyPackages: [{ userId: ana, deviceId: 'tablet', keyPackage: expect.any(String) as unknown }] }]);
    expect(keyPackageIdentity(phone.claims[0]!.keyPackages[0]!.keyPackage)).toBe(JSON.stringify([ana, 'tablet']));
    expect(phone.session.group(roomId)?.members().sort()).toEqual([JSON.stringify([ana, 'phone']), JSON.stringify([ana, 'tablet'])]);
    expect(await groupDeviceIds(phone, roomId)).toEqual([`${ana}/phone`, `${ana}/tablet`]);

    okData(await request(tablet.socket, 'room:join', { roomId }));
    await tablet.session.open(roomId);
    await inGroup(tablet, roomId);
    const sent = await sendSealed(phone, roomId, 'from the phone');
    expect(await tablet.session.read(await receivedBy(tablet, sent.id))).toBe('from the phone');
    expect(phone.reported).toEqual([]);
  });
});
