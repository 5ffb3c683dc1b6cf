// A device's key-package publish whose connection drops before the server's answer: whether the
// server kept them or not, the device ends with its key packages on the server once (never twice),
// and a member adds it. The server cuts the device's socket itself, right after (or instead of)
// storing them. Real chat servers (memory and PostgreSQL stores), the SDK's ChatClient, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatServer, ChatStore, E2eeStore } from '@chat/server';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { KEY_PACKAGES } from './key-publish.js';

/** Whether the store keeps the publish whose connection is cut (before the answer) or never sees it. */
const cuts: Array<[string, boolean]> = [
  ['its answer is lost (the server kept them)', true],
  ['it is lost before the server keeps them', false],
];

// The store's e2ee part, whose first publish with key packages for `userId` cuts that user's sockets.
function cutFirstPublish(chat: ChatServer, store: ChatStore, userId: string, keep: boolean): E2eeStore {
  const e2ee = store.e2ee!;
  const publish = e2ee.publishKeyPackages.bind(e2ee);
  let cut = false;
  e2ee.publishKeyPackages = async (device, keyPackages, ...bounds) => {
    const first = !cut && device.userId === userId && keyPackages.length > 0;
    const held = first && !keep ? 0 : await publish(device, keyPackages, ...bounds);
    if (first) {
      cut = true;
      for (const socket of chat.io.of('/').sockets.values()) if (socket.handshake.auth.token === userId) socket.disconnect(true);
    }
    return held;
  };
  return e2ee;
}

describe.each(bothStores())('a key-package publish cut off on %s', (_name, makeStore) => {
  it.each(cuts)('%s: the server ends with one batch of its key packages (asked, never sent twice), and it is added', async (_cut, keep) => {
    const { chat, store, url, roomId } = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const [anaId, bobId] = [`ana-${tag}`, `bob-${tag}`];
    const e2ee = cutFirstPublish(chat, store, bobId, keep);
    const ana = sdkClient(url, { auth: { token: anaId }, e2ee: {} });
    const anaRoom = await ana.join(roomId);
    const bob = sdkClient(url, { auth: { token: bobId }, e2ee: {} });
    const bobRoom = await bob.join(roomId);

    await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobId)).toBeDefined());
    await anaRoom.send('after the cut');
    await waitFor(() => expect(bobRoom.messages.map((m) => m.text)).toContain('after the cut'));
    // Ana's add took one, and Bob's client topped up again after its welcome: the server holds one
    // batch (twice would leave more), published again only when the server had none.
    await waitFor(async () => {
      const [device, ...others] = (await e2ee.userData(bobId)).devices;
      expect(others).toEqual([]);
      expect(device).toMatchObject({ deviceId: bob.e2ee!.deviceId, rooms: [roomId] });
      expect(device!.keyPackages).toHaveLength(KEY_PACKAGES);
    });
  });
});
