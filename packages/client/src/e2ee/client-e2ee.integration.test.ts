// Encrypted rooms through the SDK's own API: ChatClient with `e2ee`, real chat servers (memory and
// PostgreSQL stores), real sockets, real MLS (ts-mls). `room.send` and `message` work as anywhere.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptedChat } from '../../../../test-support/e2ee-devices.js';
import { sdkClient } from '../../../../test-support/servers.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import type { ChatClient } from '../chat-client.js';
import type { ChatRoom } from '../chat-room.js';
import type { E2eeKeyChange } from './key-watch.js';
import { memoryE2eeStore } from './e2ee-store.js';
import type { E2eeOptions } from './chat-e2ee.js';

const texts = (room: ChatRoom) => room.messages.map((m) => m.text);

describe.each(bothStores())('ChatClient in encrypted rooms on %s', (_name, makeStore) => {
  async function site() {
    const started = await encryptedChat(makeStore);
    const tag = randomBytes(4).toString('hex');
    const client = (name: string, e2ee: E2eeOptions = {}): ChatClient =>
      sdkClient(started.url, { auth: { token: `${name}-${tag}` }, e2ee });
    return { ...started, tag, client };
  }

  it('send and message carry text; the server and its store hold only ciphertext', async () => {
    const { chat, roomId, client } = await site();
    const ana = client('ana');
    const bob = client('bob');
    const anaRoom = await ana.join(roomId);
    expect(anaRoom.encrypted).toBe(true);
    const bobRoom = await bob.join(roomId);
    const marker = `MARKER-${randomBytes(6).toString('hex')}`;
    const heard: string[] = [];
    bobRoom.on('message', (m) => heard.push(m.text));
    // Bob's device is added by Ana's (asked by the server): a send before that waits for it.
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobRoom.self!.id)).toBeDefined());
    const sent = await anaRoom.send(`appointment at 9 ${marker}`);
    expect(sent.text).toBe(`appointment at 9 ${marker}`);
    expect(sent.ciphertext).toBeDefined();
    await waitFor(() => expect(heard).toEqual([`appointment at 9 ${marker}`]));
    await bobRoom.send(`see you ${marker}`);
    await waitFor(() => expect(texts(anaRoom)).toEqual([`appointment at 9 ${marker}`, `see you ${marker}`]));
    expect(texts(bobRoom)).toEqual([`appointment at 9 ${marker}`, `see you ${marker}`]);
    const stored = await chat.store.listMessages(roomId, { limit: 10 });
    expect(JSON.stringify(stored)).not.toContain(marker);
    expect(stored.messages.map((m) => m.text)).toEqual(['', '']);

    // Both see the same fingerprints for each other, and nothing for a stranger.
    expect(await ana.e2ee!.fingerprint(bobRoom.self!.id)).toBe(await bob.e2ee!.fingerprint(bobRoom.self!.id));
    expect(await bob.e2ee!.fingerprint(anaRoom.self!.id)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/u);
    expect(await bob.e2ee!.fingerprint('nobody')).toBeUndefined();
    expect(await ana.e2ee!.devices(bobRoom.self!.id)).toEqual([{ deviceId: bob.e2ee!.deviceId, fingerprint: expect.any(String) }]);
    ana.close();
    bob.close();
  });

  it('a device that joins later reads from then on; older messages are undecryptable, not blank or wrong', async () => {
    const { roomId, client } = await site();
    const ana = client('ana');
    const anaRoom = await ana.join(roomId);
    await anaRoom.send('before carol');
    const carol = client('carol');
    const carolRoom = await carol.join(roomId);
    expect(carolRoom.messages).toHaveLength(1);
    expect(carolRoom.messages[0]).toMatchObject({ text: '', undecryptable: true });
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(carolRoom.self!.id)).toBeDefined());
    await anaRoom.send('after carol');
    await waitFor(() => expect(texts(carolRoom)).toEqual(['', 'after carol']));
    expect(carolRoom.messages[1]?.undecryptable).toBeUndefined();
    ana.close();
    carol.close();
  });

  it('a client with the same store reads what it read before; a new device of a user is a key change, kept with the device', async () => {
    const { roomId, client } = await site();
    const store = memoryE2eeStore();
    const ana = client('ana', { store });
    const anaRoom = await ana.join(roomId);
    const bob = client('bob');
    const bobRoom = await bob.join(roomId);
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(bobRoom.self!.id)).toBeDefined());
    await bobRoom.send('kept on this device');
    await anaRoom.send('mine, kept too');
    await waitFor(() => expect(texts(anaRoom)).toEqual(['kept on this device', 'mine, kept too']));
    const deviceId = ana.e2ee!.deviceId;
    ana.close();

    const again = client('ana', { store });
    const againRoom = await again.join(roomId);
    expect(again.e2ee!.deviceId).toBe(deviceId);
    expect(texts(againRoom)).toEqual(['kept on this device', 'mine, kept too']);
    await bobRoom.send('after the reload');
    await waitFor(() => expect(texts(againRoom)).toEqual(['kept on this device', 'mine, kept too', 'after the reload']));

    // Bob on a second device: Ana's device sees a key it had not seen for Bob.
    const changes: E2eeKeyChange[] = [];
    again.on('e2ee:keychange', (change) => changes.push(change));
    const bobFingerprint = await again.e2ee!.fingerprint(bobRoom.self!.id);
    const laptop = client('bob');
    const laptopRoom = await laptop.join(roomId);
    await waitFor(() => expect(changes.map((c) => c.userId)).toContain(laptopRoom.self!.id));
    expect(changes[0]).toMatchObject({ roomId, added: [expect.any(String)] });
    expect(changes[0]!.fingerprints).toHaveLength(2);
    expect(await again.e2ee!.fingerprint(bobRoom.self!.id)).not.toBe(bobFingerprint);
    await laptopRoom.send('from the laptop');
    await waitFor(() => expect(texts(againRoom)).toContain('from the laptop'));
    await waitFor(() => expect(texts(bobRoom)).toContain('from the laptop'));
    // Placed after the newest message Ana's device had, and kept with the device: the same
    // device in a new client (a reload) has it, where it came.
    expect(changes[0]!.afterSeq).toBe(againRoom.messages.find((m) => m.text === 'after the reload')!.seq);
    expect(await again.e2ee!.keyChanges(`other-${roomId}`)).toEqual([]);
    again.close();
    const reloaded = client('ana', { store });
    await reloaded.join(roomId);
    expect(await reloaded.e2ee!.keyChanges(roomId)).toEqual(changes);
    reloaded.close();
    bob.close();
    laptop.close();
  });

  it('client.direct(..., { encrypted }) opens the encrypted direct room, apart from the plain one', async () => {
    const { chat, tag, client } = await site();
    const ana = client('ana');
    const bob = client('bob');
    // Bob must be a user the server has seen to be named in a direct room.
    await bob.join(`lobby-${tag}`);
    const plain = await ana.direct(`bob-${tag}`);
    const secret = await ana.direct(`bob-${tag}`, { encrypted: true });
    expect(plain.encrypted).toBe(false);
    expect(secret.encrypted).toBe(true);
    expect(secret.id).toMatch(/^dm:e:/u);
    expect(plain.id).toBe(plain.id.replace(/^dm:e:/u, 'dm:'));
    expect(secret.id.slice('dm:e:'.length)).toBe(plain.id.slice('dm:'.length));
    expect((await chat.openDirectRoom([`ana-${tag}`, `bob-${tag}`], { encrypted: true })).id).toBe(secret.id);
    const bobRoom = await bob.direct(`ana-${tag}`, { encrypted: true });
    expect(bobRoom.id).toBe(secret.id);
    await waitFor(async () => expect(await ana.e2ee!.fingerprint(`bob-${tag}`)).toBeDefined());
    await secret.send('only for bob');
    await waitFor(() => expect(texts(bobRoom)).toEqual(['only for bob']));
    expect(JSON.stringify(await chat.store.listMessages(secret.id, { limit: 5 }))).not.toContain('only for bob');
    const refused = await ana.socket
      .timeout(5000)
      .emitWithAck('room:direct', { userIds: [`bob-${tag}`], encrypted: 'yes' as unknown as boolean });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'encrypted must be true or false.' } });
    ana.close();
    bob.close();
  });
});
