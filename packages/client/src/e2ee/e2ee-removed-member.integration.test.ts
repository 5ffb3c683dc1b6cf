// A member taken out of an encrypted room (kicked, or removed by the host after leaving) keeps what
// their device read, as Signal does, and reads nothing said after the removal commit: real chat
// servers (MemoryStore and PostgresStore), real SDK clients, real MLS.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import type { ChatClient } from '../chat-client.js';
import type { ChatRoom } from '../chat-room.js';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { memoryE2eeStore, type E2eeDeviceStore } from './e2ee-store.js';

/** What a room shows of its messages: each one's text, or `undecryptable`. */
const shown = (room: ChatRoom) => room.messages.map((m) => (m.undecryptable === true ? 'undecryptable' : m.text));

/** What the client shows of `message` handed to it as if the server had delivered it (the room's inbound path). */
function readBy(client: ChatClient, message: Message): Promise<Message> {
  return new Promise((resolve) => client.e2ee!._inbound(message.roomId, [message], ([read]) => resolve(read!)));
}

/** The `text` of a stored message, as a client receives it. */
async function stored(chat: { store: { getMessage(roomId: string, id: string): Promise<Message | null> } }, roomId: string, id: string) {
  const message = await chat.store.getMessage(roomId, id);
  expect(message?.ciphertext).toBeDefined();
  return message!;
}

describe.each(bothStores())('a member removed from an encrypted room on %s', (_name, makeStore) => {
  /** Ana and Bob (his device on `bobStore`, so that a reload keeps it) in an encrypted room; Bob has read two of Ana's messages. */
  async function twoMembers(bobStore: E2eeDeviceStore) {
    const started = await encryptedChat(makeStore);
    const { url, roomId } = started;
    const tag = randomBytes(4).toString('hex');
    const ana = sdkClient(url, { auth: { token: `ana-${tag}` }, e2ee: {} });
    const bobClient = () => sdkClient(url, { auth: { token: `bob-${tag}` }, e2ee: { store: bobStore } });
    const bob = bobClient();
    const anaRoom = await ana.join(roomId);
    const bobRoom = await bob.join(roomId);
    const bobId = bobRoom.self!.id;
    await waitFor(async () => expect(await ana.e2ee!.devices(bobId)).toHaveLength(1));
    await anaRoom.send('the first appointment');
    await anaRoom.send('the second appointment');
    await waitFor(() => expect(shown(bobRoom)).toEqual(['the first appointment', 'the second appointment']));
    return { ...started, ana, anaRoom, bob, bobRoom, bobId, bobClient };
  }

  it('kicked: the room keeps what it read; nothing said after opens, live or on coming back, while what it had stays', async () => {
    const bobStore = memoryE2eeStore();
    const { chat, roomId, ana, anaRoom, bob, bobRoom, bobId, bobClient } = await twoMembers(bobStore);
    const told: string[] = [];
    bobRoom.on('removed', (reason) => told.push(reason));

    await chat.kick(roomId, bobId);
    await waitFor(() => expect(told).toEqual(['kicked']));
    // Ana's device, asked by the server, commits the removal of Bob's device.
    await waitFor(async () => expect(await ana.e2ee!.devices(bobId)).toEqual([]));
    const after = await anaRoom.send('said after bob was kicked');

    // What Bob read is still shown, after the kick and after the removal commit.
    expect(shown(bobRoom)).toEqual(['the first appointment', 'the second appointment']);
    // Handed what was said after (the server no longer sends it to him), his device cannot open it.
    expect(await readBy(bob, await stored(chat, roomId, after.id))).toMatchObject({ text: '', undecryptable: true });
    bob.close();

    // A reload, and he joins again (a kick ends the membership, not the right to join a public
    // room): added as a new member, his device still shows what it read before, and not what was
    // said while he was out.
    const back = bobClient();
    const again = await back.join(roomId);
    expect(shown(again)).toEqual(['the first appointment', 'the second appointment', 'undecryptable']);
    await waitFor(async () => expect(await ana.e2ee!.devices(bobId)).toHaveLength(1));
    await anaRoom.send('welcome back');
    await waitFor(() => expect(shown(again)).toEqual(['the first appointment', 'the second appointment', 'undecryptable', 'welcome back']));
  });

  it('left, then removed by the host: what it read stays shown and readable; nothing said after the removal opens', async () => {
    const bobStore = memoryE2eeStore();
    const { chat, roomId, ana, anaRoom, bob, bobRoom, bobId, bobClient } = await twoMembers(bobStore);
    // A leave ends no membership (his device stays in the group); the host's removal does.
    await bobRoom.leave();
    const whileAway = await anaRoom.send('said while bob was away');
    await chat.removeMembers(roomId, [bobId]);
    await waitFor(async () => expect(await ana.e2ee!.devices(bobId)).toEqual([]));
    const after = await anaRoom.send('said after bob was removed');

    expect(shown(bobRoom)).toEqual(['the first appointment', 'the second appointment']);
    // Still a member when it was said, his device opens what was said while he was away...
    expect(await readBy(bob, await stored(chat, roomId, whileAway.id))).toMatchObject({ text: 'said while bob was away' });
    // ...and nothing said after the removal.
    expect(await readBy(bob, await stored(chat, roomId, after.id))).toMatchObject({ text: '', undecryptable: true });
    bob.close();

    // Back after a reload (the room is public): what he read stays; what came after does not open.
    const back = bobClient();
    const again = await back.join(roomId);
    expect(shown(again)).toEqual(['the first appointment', 'the second appointment', 'said while bob was away', 'undecryptable']);
  });
});
