// A user removed from an encrypted room and added again, on the device they had: it drops the group
// it was removed from and takes the next welcome. Real chat servers (MemoryStore and
// PostgresStore), real sockets, real MLS.
import { describe, expect, it } from 'vitest';
import {
  device,
  encryptedChat,
  groupUsers,
  receivedBy,
  reconnect,
  sameEpoch,
  sendSealed,
  updateCommit,
} from '../../../../test-support/e2ee-devices.js';
import { bothStores } from '../../../../test-support/stores.js';
import { okData, rawSocket, request } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const stores = bothStores();

describe.each(stores)("a re-added user's old device on %s", (_name, makeStore) => {
  it('drops the group it was removed from, takes the welcome, and reads and sends again; what was said while out stays closed', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    // Bob's device may still be catching up after it joined (a commit or welcome told twice): a sync
    // of it on the wire as he is removed can pass the room check and read the group after Ana's
    // device committed his removal, and his device would drop its group before he comes back.
    await Promise.all([ana.session.settled(), bob.session.settled()]);
    const before = bob.session.epoch(roomId)!;

    await chat.removeMembers(roomId, [bob.userId]);
    await waitFor(async () => expect(await groupUsers(ana, roomId)).toEqual([ana.userId]));
    const whileOut = await sendSealed(ana, roomId, 'while bob was out');
    // Ana's device adds Bob's back; its welcome reaches his device (online), which cannot fetch it
    // outside the room. Waited for: told while its join below is being answered (its socket is in
    // the room's broadcast before the answer), the device would take the welcome at once.
    const welcomed = new Promise<void>((resolve) => bob.socket.once('e2ee:welcome', () => resolve()));
    await chat.addMembers(roomId, [bob.userId]);
    await welcomed;
    await bob.session.settled();

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

describe.each(stores)("a re-added user's old device after the group started afresh, on %s", (_name, makeStore) => {
  it('drops the group of before the reset (its epoch is no guide: epochs start again), takes the new welcome, and talks', async () => {
    const { url, chat, roomId, store } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    await updateCommit(ana, roomId);
    await sameEpoch([ana, bob], roomId);
    const before = bob.session.epoch(roomId)!;
    const oldGroup = await sendSealed(ana, roomId, 'in the old group');
    bob.socket.disconnect();

    // Nobody is left who could commit: the group starts afresh, then Bob alone is added back.
    await chat.removeMembers(roomId, [ana.userId, bob.userId]);
    await waitFor(async () => expect(await store.e2ee!.groupEpoch(roomId)).toBe(0));
    await chat.addMembers(roomId, [bob.userId]);
    const carol = await device(url, 'carol', roomId);
    await waitFor(async () => expect(await groupUsers(carol, roomId)).toEqual([bob.userId, carol.userId].sort()));
    await waitFor(() => expect(carol.session.epoch(roomId)).toBe(2)); // created, then Bob's device added
    while (carol.session.epoch(roomId)! < before) await updateCommit(carol, roomId);
    expect(carol.session.epoch(roomId)).toBe(before);

    // The old group's id, at an epoch the new group has reached: the server gives no commits of the
    // new group for it, keeps the welcome, and refuses a commit made in it as stale.
    const old = bob.session.group(roomId)!;
    const probe = await rawSocket(url, { token: bob.userId });
    okData(await request(probe, 'room:join', { roomId }));
    const deviceId = bob.session.device.deviceId;
    const seen = okData(await request(probe, 'e2ee:sync', { roomId, deviceId, after: 0, group: old.id }));
    expect(seen).toMatchObject({ epoch: before, commits: [], welcome: { epoch: 2 } });
    expect(seen.group).not.toBe(old.id);
    const stale = await old.prepareCommit({});
    expect(stale.epoch).toBe(before);
    expect(await request(probe, 'e2ee:commit', { roomId, deviceId, epoch: before, commit: stale.commit, group: old.id })).toMatchObject({
      ok: false,
      error: { code: 'E2EE_STALE_EPOCH' },
    });
    probe.disconnect();
    // The same from a member's device outside the group: stale when it names the old group, not in the group when it names the new one.
    const dave = await rawSocket(url, { token: 'dave' });
    okData(await request(dave, 'room:join', { roomId }));
    const outside = { roomId, deviceId: 'dave-tab', epoch: before, commit: stale.commit };
    expect(await request(dave, 'e2ee:commit', { ...outside, group: old.id })).toMatchObject({
      ok: false,
      error: { code: 'E2EE_STALE_EPOCH' },
    });
    expect(await request(dave, 'e2ee:commit', { ...outside, group: seen.group! })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    dave.disconnect();

    await reconnect(bob, url, roomId);
    await sameEpoch([carol, bob], roomId);
    expect(bob.reported).toEqual([]);
    const hello = await sendSealed(carol, roomId, 'a new group');
    expect(await bob.session.read(await receivedBy(bob, hello.id))).toBe('a new group');
    const reply = await sendSealed(bob, roomId, 'back in it');
    expect(await carol.session.read(await receivedBy(carol, reply.id))).toBe('back in it');
    // Bob's device forgot the old group: what was said in it (and not read then) stays closed to it.
    expect(await bob.session.read({ ...oldGroup, id: 'copy-old' })).toBeUndefined();
  });
});
