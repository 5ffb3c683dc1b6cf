// The race of a removed user re-added (`chat.addMembers`) before a member has committed the
// removal of their devices: real chat servers (MemoryStore and PostgresStore), real sockets, real
// MLS. The re-add waits for that commit, so the old devices never keep the group's keys.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatServer } from '@chat/server';
import {
  device,
  encryptedChat,
  type Device,
  groupUsers,
  inGroup,
  receivedBy,
  sameEpoch,
  sendSealed,
} from '../../../../test-support/e2ee-devices.js';
import { okData, request } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';

describe.each(bothStores())('a removed user re-added in an encrypted room on %s', (_name, makeStore) => {
  /** Ana and Bob in an encrypted room; Bob removed while nobody is there to commit the removal (Ana's session stops listening). */
  async function bobRemovedWhileAnaIsAway() {
    const started = await encryptedChat(makeStore);
    const { url, chat, roomId } = started;
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await sameEpoch([ana, bob], roomId);
    await Promise.all([ana, bob].map((d) => d.session.open(roomId)));
    ana.session.close();
    await chat.removeMembers(roomId, [bob.userId]);
    return { ...started, ana, bob };
  }

  it('chat.addMembers before the removal commit waits for it; the old device reads nothing after, a new one reads from its add', async () => {
    const { url, chat, roomId, ana, bob } = await bobRemovedWhileAnaIsAway();
    // Bob's old device has no key package left (claimed in another room): once he is a member
    // again, nobody can add it back, so what follows is about the removal alone. (With one left,
    // Ana's catch-up may add it back at once, as e2ee-readd-old-device tests.)
    // It must not publish more when told it ran low (`e2ee:keys:low`): it is as if away.
    for (const handler of bob.listeners.get('e2ee:keys:low') ?? []) bob.socket.off('e2ee:keys:low', handler as never);
    await drainKeyPackages(chat, ana, bob);
    const readd = chat.addMembers(roomId, [bob.userId]);

    // Ana comes back and, asked to, commits the removal of Bob's device: only then is he a member.
    await ana.session.open(roomId);
    await readd;
    expect(await chat.store.isMember(roomId, bob.userId)).toBe(true);
    expect(await groupUsers(ana, roomId)).toEqual([ana.userId]);

    // His old device holds keys of an epoch before the removal: what is said now is closed to it.
    const after = await sendSealed(ana, roomId, 'after the re-add');
    expect(await bob.session.read({ ...after, id: 'copy-for-old-device' })).toBeUndefined();

    // A device of his with new keys is added and reads from then on.
    const bobAgain = await device(url, 'bob', roomId, { userId: bob.userId });
    await ana.session.open(roomId);
    await inGroup(bobAgain, roomId);
    const welcome = await sendSealed(ana, roomId, 'welcome back');
    expect(await bobAgain.session.read(await receivedBy(bobAgain, welcome.id))).toBe('welcome back');
    expect(await bobAgain.session.read(after)).toBeUndefined();
  });

  /** Claims every key package Bob's devices have left, from another encrypted room he and Ana are in. */
  async function drainKeyPackages(chat: ChatServer, ana: Device, bob: Device): Promise<void> {
    const other = `drain-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: other, options: { encrypted: true } });
    okData(await request(ana.socket, 'room:join', { roomId: other }));
    okData(await request(bob.socket, 'room:join', { roomId: other }));
    for (;;) {
      const { keyPackages } = okData(
        await request(ana.socket, 'e2ee:keys:claim', {
          roomId: other,
          deviceId: ana.session.device.deviceId,
          userIds: [bob.userId],
        }),
      );
      if (keyPackages.length === 0) return;
    }
  }

  it('with no member online to commit the removal, chat.addMembers says so and adds nothing', { timeout: 30_000 }, async () => {
    const { chat, roomId, ana, bob } = await bobRemovedWhileAnaIsAway();
    await expect(chat.addMembers(roomId, [bob.userId])).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/no member has removed their old devices/u) as unknown,
    });
    expect(await chat.store.isMember(roomId, bob.userId)).toBe(false);
    expect(await groupUsers(ana, roomId)).toEqual([ana.userId, bob.userId].sort());
  });
});
