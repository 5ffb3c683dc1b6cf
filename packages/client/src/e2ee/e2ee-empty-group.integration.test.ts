// An encrypted room whose group has no device left that could commit (every device removed by its
// user, its users erased, or its users no longer members): the next members' devices start the
// group afresh instead of waiting for a welcome nobody can send. Real chat servers (memory and
// PostgreSQL stores), the SDK's ChatClient, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatServer } from '@chat/server';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import type { ChatClient } from '../chat-client.js';

type Emptying = (chat: ChatServer, roomId: string, gone: ReadonlyArray<{ client: ChatClient; userId: string }>) => Promise<void>;

const ways: Array<[string, Emptying]> = [
  [
    'both devices removed (chat.removeDevice)',
    async (chat, _roomId, gone) => {
      for (const { client, userId } of gone) await chat.removeDevice(userId, client.e2ee!.deviceId!);
    },
  ],
  [
    'both users erased (chat.eraseUser)',
    async (chat, _roomId, gone) => {
      for (const { client } of gone) client.close();
      for (const { userId } of gone) await chat.eraseUser(userId);
    },
  ],
  [
    'both users gone from the room, their devices still in the group',
    async (chat, roomId, gone) => {
      for (const { client } of gone) client.close();
      await chat.removeMembers(
        roomId,
        gone.map((g) => g.userId),
      );
    },
  ],
];

describe.each(bothStores())('an encrypted room whose group has no device left, on %s', (_name, makeStore) => {
  it.each(ways)('%s: a new member’s device creates the group afresh; new members talk', async (_way, empty) => {
    const { chat, url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const client = (name: string) => sdkClient(url, { auth: { token: `${name}-${tag}` }, e2ee: {} });
    const ana = client('ana');
    const bob = client('bob');
    const anaRoom = await ana.join(roomId);
    const bobRoom = await bob.join(roomId);
    const [anaId, bobId] = [anaRoom.self!.id, bobRoom.self!.id];
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobId)).toBeDefined());
    await anaRoom.send('before');
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toEqual(['before']));

    await empty(chat, roomId, [
      { client: ana, userId: anaId },
      { client: bob, userId: bobId },
    ]);

    const carol = client('carol');
    const dave = client('dave');
    const carolRoom = await carol.join(roomId);
    const daveRoom = await dave.join(roomId);
    await waitFor(async () => expect(await carol.e2ee!.fingerprint(daveRoom.self!.id)).toBeDefined());
    await carolRoom.send('a fresh start');
    await waitFor(() => expect(daveRoom.messages.map((m) => m.text)).toContain('a fresh start'));
    await daveRoom.send('heard you');
    await waitFor(() => expect(carolRoom.messages.map((m) => m.text)).toContain('heard you'));
  });

  it('the last member removed and added again: the re-add waits for no commit nobody can make; the group starts afresh', async () => {
    const { chat, url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const client = (name: string) => sdkClient(url, { auth: { token: `${name}-${tag}` }, e2ee: {} });
    const ana = client('ana');
    const anaRoom = await ana.join(roomId);
    const anaId = anaRoom.self!.id;
    await anaRoom.send('alone');
    ana.close();
    await chat.removeMembers(roomId, [anaId]);
    // Her old device is still in the group and nobody else is: waiting for its removal would time out.
    await chat.addMembers(roomId, [anaId]);
    expect(await chat.store.isMember(roomId, anaId)).toBe(true);

    const anaAgain = client('ana');
    const bob = client('bob');
    const anaAgainRoom = await anaAgain.join(roomId);
    const bobRoom = await bob.join(roomId);
    await waitFor(async () => expect(await anaAgain.e2ee!.fingerprint(bobRoom.self!.id)).toBeDefined());
    await bobRoom.send('welcome back');
    await waitFor(() => expect(anaAgainRoom.messages.map((m) => m.text)).toContain('welcome back'));
  });

  it.each(ways)(
    '%s while a member waits to be added: the group starts afresh at once, and the waiting device creates it',
    async (_way, empty) => {
      const { chat, url, roomId } = await encryptedChat(makeStore);
      const tag = randomBytes(4).toString('hex');
      const client = (name: string) => sdkClient(url, { auth: { token: `${name}-${tag}` }, e2ee: {} });
      const ana = client('ana');
      const bob = client('bob');
      const anaRoom = await ana.join(roomId);
      const bobRoom = await bob.join(roomId);
      const [anaId, bobId] = [anaRoom.self!.id, bobRoom.self!.id];
      await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobId)).toBeDefined());
      // Both away: Carol joins and waits for a welcome.
      ana.close();
      bob.close();
      const carol = client('carol');
      const carolRoom = await carol.join(roomId);
      const carolId = carolRoom.self!.id;
      await waitFor(async () => expect(await chat.store.e2ee!.keyDevices([carolId])).toHaveLength(1));

      await empty(chat, roomId, [
        { client: ana, userId: anaId },
        { client: bob, userId: bobId },
      ]);
      // No sync of hers, no other member: the server's ask with the reset is what moves her device.
      const carolDevice = { userId: carolId, deviceId: carol.e2ee!.deviceId };
      await waitFor(async () => expect(await chat.store.e2ee!.groupDevices(roomId)).toEqual([carolDevice]));
      expect((await carolRoom.send('alone now')).text).toBe('alone now');
    },
  );
});
