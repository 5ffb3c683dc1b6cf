// A user removed from an encrypted room and added again, on the device they had: it drops the group
// it was removed from and takes the next welcome. Real chat servers (MemoryStore and
// PostgresStore), real sockets, real MLS.
import { describe, expect, it } from 'vitest';
import { device, encryptedChat, groupUsers, receivedBy, sameEpoch, sendSealed } from '../../../../test-support/e2ee-devices.js';
import { bothStores } from '../../../../test-support/stores.js';
import { okData, request } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const stores = bothStores();

describe.each(stores)("a re-added user's old device on %s", (_name, makeStore) => {
  it('drops the group it was removed from, takes the welcome, and reads and sends again; what was said while out stays closed', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    const before = bob.session.epoch(roomId)!;

    await chat.removeMembers(roomId, [bob.userId]);
    await waitFor(async () => expect(await groupUsers(ana, roomId)).toEqual([ana.userId]));
    const whileOut = await sendSealed(ana, roomId, 'while bob was out');
    await chat.addMembers(roomId, [bob.userId]);

    // Bob's app joins the room again on the same device (its MLS state is of the old group).
    okData(await request(bob.socket, 'room:join', { roomId }));
    expect(bob.session.epoch(roomId)).toBe(before);
    await bob.session.open(roomId);
    await sameEpoch([ana, bob], roomId);
    expect(bob.session.epoch(roomId)).toBeGreaterThan(before + 1);

    const back = await sendSealed(ana, roomId, 'welcome back');
    expect(await bob.session.read(await receivedBy(bob, back.id))).toBe('welcome back');
    const reply = await sendSealed(bob, roomId, 'glad to be back');
    expect(await ana.session.read(await receivedBy(ana, reply.id))).toBe('glad to be back');
    expect(await bob.session.read({ ...whileOut, id: 'copy-while-out' })).toBeUndefined();
  });
});
