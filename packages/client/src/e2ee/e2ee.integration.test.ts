// Encrypted rooms end to end: real chat servers (MemoryStore and PostgresStore), real sockets,
// real MLS (ts-mls) on every device, the server carrying what it cannot read.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { PostgresStore } from '@chat/server/postgres';
import { eachRedis, startClusterChats } from '../../../../test-support/cluster.js';
import { startReceiver } from '../../../../test-support/http-receiver.js';
import { byToken, device, encryptedChat, inGroup, receivedBy, sendSealed, who } from '../../../../test-support/e2ee-devices.js';
import { okData, rawSocket, request } from '../../../../test-support/servers.js';
import { expectStoredNowhere } from '../../../../test-support/stored-nowhere.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { fromBase64, toBase64 } from './base64.js';

describe.each(bothStores())('encrypted rooms on %s', (_name, makeStore) => {
  it('members read each other; the marker is in no stored message, no webhook body and no server event', async () => {
    const receiver = await startReceiver();
    const { url, chat, roomId } = await encryptedChat(makeStore, {
      webhooks: [{ url: receiver.url, events: ['message'], secret: 'a-secret-of-at-least-16' }],
    });
    const seen: Message[] = [];
    chat.on('message', (m) => seen.push(m));
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await inGroup(bob, roomId);
    const marker = `MARKER-${randomBytes(6).toString('hex')}`;
    const sent = await sendSealed(ana, roomId, `appointment at 9 ${marker}`);
    expect(sent.text).toBe('');
    expect(sent.ciphertext).toBeDefined();
    expect(await bob.session.read(await receivedBy(bob, sent.id))).toBe(`appointment at 9 ${marker}`);
    const reply = await sendSealed(bob, roomId, `see you ${marker}`);
    expect(await ana.session.read(await receivedBy(ana, reply.id))).toBe(`see you ${marker}`);

    await waitFor(() => expect(receiver.requests.length).toBeGreaterThanOrEqual(2));
    for (const hook of receiver.requests) expect(hook.body).not.toContain(marker);
    expect(JSON.stringify(seen)).not.toContain(marker);
    const stored = await chat.store.listMessages(roomId, { limit: 10 });
    expect(stored.messages).toHaveLength(2);
    expect(JSON.stringify(stored)).not.toContain(marker);
    // Words of a plain room are stored as sent: the same search finds them, so it cannot pass for want of looking.
    const plainRoom = `${roomId}-plain`;
    await chat.createRoom({ id: plainRoom });
    okData(await request(ana.socket, 'room:join', { roomId: plainRoom }));
    const plainMarker = `PLAIN-${randomBytes(6).toString('hex')}`;
    okData(await request(ana.socket, 'message:send', { roomId: plainRoom, clientId: 'plain-room-1', text: `in clear ${plainMarker}` }));
    await expectStoredNowhere(chat, marker, [ana.userId, bob.userId], { found: [sent.id, plainMarker] });
    // Plain text in an encrypted room is refused, with a sentence.
    const plain = await request(ana.socket, 'message:send', { roomId, clientId: 'plain-1', text: marker });
    expect(plain).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/end-to-end encrypted/u) },
    });
  });

  it('a new member reads from when they joined; a removed member reads nothing after', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await inGroup(bob, roomId);
    const before = await sendSealed(ana, roomId, 'before carol');
    expect(await bob.session.read(await receivedBy(bob, before.id))).toBe('before carol');

    const carol = await device(url, 'carol', roomId);
    await inGroup(carol, roomId);
    const history = okData(await request(carol.socket, 'message:history', { roomId, limit: 10 })).messages;
    expect(await carol.session.read(history.find((m) => m.id === before.id)!)).toBeUndefined();

    // Bob takes the commit that added Carol before he is removed (else he could still be taking it
    // when his epoch is read below, and move one epoch on: the add, not the removal).
    await waitFor(() => expect(bob.session.epoch(roomId)).toBe(carol.session.epoch(roomId)));
    await chat.removeMembers(roomId, [who('bob', roomId)]);
    // Ana is asked to remove Bob's device and does; everyone still in moves to the new epoch.
    const bobEpoch = bob.session.epoch(roomId)!;
    await waitFor(async () => {
      const state = okData(await request(ana.socket, 'e2ee:sync', { roomId, deviceId: ana.session.device.deviceId }));
      expect(state.devices.map((d) => d.userId).sort()).toEqual([who('ana', roomId), who('carol', roomId)]);
    });
    const after = await sendSealed(ana, roomId, 'after bob');
    expect(await carol.session.read(await receivedBy(carol, after.id))).toBe('after bob');
    // Bob's device, handed the ciphertext anyway, cannot open it: his group is at an older epoch.
    expect(bob.session.epoch(roomId)).toBe(bobEpoch);
    expect(await bob.session.read({ ...after, id: 'copy-for-bob' })).toBeUndefined();
  });

  it('refuses a ciphertext altered by one bit, a replay, and words claimed for another sender', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await inGroup(bob, roomId);
    const sent = await sendSealed(ana, roomId, 'only once');
    const bytes = fromBase64(sent.ciphertext!);
    bytes[bytes.length - 3]! ^= 0x01;
    expect(await bob.session.read({ ...sent, id: 'altered', ciphertext: toBase64(bytes) })).toBeUndefined();
    expect(await bob.session.read(sent)).toBe('only once');
    expect(await bob.session.read({ ...sent, id: 'replayed' })).toBeUndefined();
    // The server (or anyone on the way) relabelling Ana's message as Bob's: the plaintext names Ana.
    const next = await sendSealed(ana, roomId, 'signed by ana');
    expect(await bob.session.read({ ...next, user: { id: who('carol', roomId), name: 'carol' } })).toBeUndefined();
  });
});

eachRedis('encrypted rooms', (redis, shared) => {
  it('two members commit at once on two processes: one wins, the other rebases, both keep reading', async () => {
    const [one, two] = await startClusterChats(2, { authenticate: byToken }, redis(), () => new PostgresStore({ pool: shared.pool() }));
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await one!.chat.createRoom({ id: roomId, options: { encrypted: true } });
    const ana = await device(one!.url, 'ana', roomId);
    const bob = await device(two!.url, 'bob', roomId);
    await inGroup(bob, roomId);
    // Carol and Dan join on different processes: Ana and Bob are both asked to add them and race.
    const [carol, dan] = await Promise.all([device(one!.url, 'carol', roomId), device(two!.url, 'dan', roomId)]);
    await Promise.all([inGroup(carol, roomId), inGroup(dan, roomId)]);
    await waitFor(() => {
      const epochs = [ana, bob, carol, dan].map((d) => d.session.epoch(roomId));
      expect(new Set(epochs).size).toBe(1);
    });
    const sent = await sendSealed(dan, roomId, 'everyone reads this');
    for (const reader of [ana, bob, carol])
      expect(await reader.session.read(await receivedBy(reader, sent.id))).toBe('everyone reads this');
  });

  it('of two commits made in one epoch on two processes, the store takes one; the other gets E2EE_STALE_EPOCH', async () => {
    const [one, two] = await startClusterChats(2, { authenticate: byToken }, redis(), () => new PostgresStore({ pool: shared.pool() }));
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await one!.chat.createRoom({ id: roomId, options: { encrypted: true } });
    // The server never reads MLS bytes: opaque ones show its ordering alone.
    const blob = (text: string) => Buffer.from(text).toString('base64');
    const [ana, bob] = [await rawSocket(one!.url, { token: 'ana' }), await rawSocket(two!.url, { token: 'bob' })];
    okData(await request(ana, 'room:join', { roomId }));
    okData(await request(bob, 'room:join', { roomId }));
    const added = [{ userId: 'bob', deviceId: 'laptop', keyPackage: blob('bob key package') }];
    okData(await request(ana, 'e2ee:commit', { roomId, deviceId: 'phone', epoch: 0, commit: blob('create'), welcome: blob('w'), added }));
    const [fromAna, fromBob] = await Promise.all([
      request(ana, 'e2ee:commit', { roomId, deviceId: 'phone', epoch: 1, commit: blob('update by ana') }),
      request(bob, 'e2ee:commit', { roomId, deviceId: 'laptop', epoch: 1, commit: blob('update by bob') }),
    ]);
    const answers = [fromAna, fromBob];
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.find((a) => !a.ok)).toMatchObject({
      ok: false,
      error: { code: 'E2EE_STALE_EPOCH', message: expect.stringMatching(/apply the commits you missed/u) },
    });
    const log = okData(await request(bob, 'e2ee:sync', { roomId, deviceId: 'laptop', after: 0 }));
    expect(log.epoch).toBe(2);
    expect(log.commits.map((c) => c.epoch)).toEqual([0, 1]);
    expect(log.commits[1]?.commit).toBe(fromAna.ok ? blob('update by ana') : blob('update by bob'));
    // A message encrypted in the old epoch is refused too.
    const late = await request(bob, 'message:send', {
      roomId,
      clientId: 'late-1',
      text: '',
      ciphertext: blob('old'),
      epoch: 1,
      deviceId: 'laptop',
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'E2EE_STALE_EPOCH' } });
  });
});
