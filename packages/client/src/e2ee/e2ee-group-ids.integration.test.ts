// A group created without an id: by a client before group ids, or through a server process still
// at PostgreSQL migration 24 during a rolling upgrade (its schema drops the `group` it does not
// know). Its id is unknown, so nothing is compared with it: its members keep it after the upgrade,
// talk, and add a new member. Real chat servers (MemoryStore and PostgresStore), real sockets, real MLS.
import { describe, expect, it } from 'vitest';
import type { E2eeCommitDraft } from '@chat/server';
import { device, encryptedChat, receivedBy, sameEpoch, sendSealed } from '../../../../test-support/e2ee-devices.js';
import { bothStores } from '../../../../test-support/stores.js';

describe.each(bothStores())('a group created without an id, on %s', (_name, makeStore) => {
  it('its members keep it once the server knows ids: they talk, and a new member is added', async () => {
    const { url, roomId, store } = await encryptedChat(makeStore);
    const e2ee = store.e2ee!;
    const append = e2ee.appendCommit.bind(e2ee);
    // The process of before ids: the commit's group never reaches the store.
    e2ee.appendCommit = ({ group: _dropped, ...draft }: E2eeCommitDraft) => append(draft);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    expect(ana.session.group(roomId)!.id).not.toBe(roomId); // the SDK named it, the store did not keep it
    e2ee.appendCommit = append;
    expect(await e2ee.groupHead(roomId)).toEqual({ epoch: 2 });

    const hello = await sendSealed(ana, roomId, 'still here');
    expect(await bob.session.read(await receivedBy(bob, hello.id))).toBe('still here');
    const carol = await device(url, 'carol', roomId);
    await sameEpoch([ana, bob, carol], roomId);
    const reply = await sendSealed(bob, roomId, 'welcome carol');
    expect(await carol.session.read(await receivedBy(carol, reply.id))).toBe('welcome carol');
    expect(await ana.session.read(await receivedBy(ana, reply.id))).toBe('welcome carol');
    expect([ana, bob, carol].flatMap((d) => d.reported)).toEqual([]);
  });
});
