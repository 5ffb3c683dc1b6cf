// What encrypted rooms promise, against real servers (MemoryStore and PostgresStore), real sockets
// and real MLS on every device: a forged sender is shown to nobody, a removed user's devices leave
// the group before they may come back, a device away through ten commits catches up, a restarted
// server keeps the groups, and no log holds a word.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError, type ChatErrorData } from '@chat/protocol';
import { PostgresStore } from '@chat/server/postgres';
import {
  byToken,
  device,
  encryptedChat,
  groupUsers,
  inGroup,
  receivedBy,
  reconnect,
  sameEpoch,
  sendSealed,
  updateCommit,
} from '../../../../test-support/e2ee-devices.js';
import { okData, request, restartChat } from '../../../../test-support/servers.js';
import { expectStoredNowhere } from '../../../../test-support/stored-nowhere.js';
import { bothStores } from '../../../../test-support/stores.js';
import { waitFor } from '../../../../test-support/wait.js';
import { sealPlaintext } from './sealed-text.js';

const codeOf = (error: unknown) => (error instanceof ChatError ? error.code : undefined);

afterEach(() => {
  vi.restoreAllMocks();
});

// The test makes the stores (the server does not own them): a restart hands the same one to the next server.
describe.each(bothStores())('encrypted rooms keep their promises on %s', (_name, makeStore) => {
  it("a member's words labelled as another member's are shown by no device, and each device says why", async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    const mallory = await device(url, 'mallory', roomId);
    await sameEpoch([ana, bob, mallory], roomId);
    // Mallory writes "ana" inside the plaintext; her own leaf signs it. A server that relabels the
    // message as Ana's would make the plaintext's claim match: the MLS sender does not.
    const group = mallory.session.group(roomId)!;
    const epoch = group.epoch;
    const ciphertext = await group.encrypt(sealPlaintext(ana.userId, { text: 'I cancel every appointment', attachments: [] }));
    const sent = okData(
      await request(mallory.socket, 'message:send', {
        roomId,
        clientId: 'forged-1',
        text: '',
        ciphertext,
        epoch,
        deviceId: mallory.session.device.deviceId,
      }),
    );
    const relabelled = { ...sent.message, user: { id: ana.userId, name: 'ana' } };
    for (const reader of [ana, bob]) {
      expect(await reader.session.read({ ...(await receivedBy(reader, sent.message.id)), ...relabelled })).toBeUndefined();
      const [error] = reader.reported;
      expect(codeOf(error)).toBe('VALIDATION_FAILED');
      expect((error as Error).message).toContain(`signed by "${mallory.userId}"`);
    }
  });

  it('a device whose key package names another user is never added; the member asked to add it says so', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await inGroup(bob, roomId);
    // Mallory's device presents itself as Ana's, from Mallory's own connection.
    const mallory = await device(url, 'mallory', roomId, { identity: ana.userId });
    await waitFor(() => expect([...ana.reported, ...bob.reported].map(codeOf)).toContain('VALIDATION_FAILED'));
    expect(await groupUsers(ana, roomId)).toEqual([ana.userId, bob.userId].sort());
    expect(mallory.session.epoch(roomId)).toBeUndefined();
    await expect(sendSealed(mallory, roomId, 'as ana')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a kicked user gets nothing more, may not come back until a member removed their devices, then joins anew', async () => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    const carol = await device(url, 'carol', roomId);
    await sameEpoch([ana, bob, carol], roomId);
    // Nobody is there to commit the removal for now: each session's queued work is done (`open`
    // waits behind it) and it stops listening.
    await Promise.all([ana, bob, carol].map((d) => d.session.open(roomId)));
    ana.session.close();
    carol.session.close();
    await chat.kick(roomId, bob.userId);
    await waitFor(async () => expect((await chat.store.listMembers(roomId)).map((m) => m.user.id)).not.toContain(bob.userId));
    // Until the removal: his encrypted sends are refused, nothing reaches him, he cannot join again.
    const refused = await request(bob.socket, 'message:send', {
      roomId,
      clientId: 'kicked-1',
      text: '',
      ciphertext: 'AA==',
      epoch: 3,
      deviceId: 'd',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const rejoin = await request(bob.socket, 'room:join', { roomId });
    expect(rejoin).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/not yet removed your devices/u) as unknown },
    });
    const meanwhile = await sendSealed(ana, roomId, 'said while bob is out');
    await receivedBy(carol, meanwhile.id);
    expect(bob.received.map((m) => m.id)).not.toContain(meanwhile.id);
    expect(await groupUsers(ana, roomId)).toContain(bob.userId);

    // Ana comes back: asked to, she commits the removal of Bob's device.
    await ana.session.open(roomId);
    expect(await groupUsers(ana, roomId)).toEqual([ana.userId, carol.userId].sort());
    await carol.session.open(roomId);
    await sameEpoch([ana, carol], roomId);
    // Bob's old device holds an older epoch: what is said now is closed to it.
    const after = await sendSealed(ana, roomId, 'after the removal');
    expect(await bob.session.read({ ...(await receivedBy(carol, after.id)), id: 'copy-for-bob' })).toBeUndefined();
    expect(await carol.session.read(await receivedBy(carol, after.id))).toBe('after the removal');

    // He may join again now, on a device with new keys, and reads from then on only.
    const bobAgain = await device(url, 'bob', roomId, { userId: bob.userId });
    await ana.session.open(roomId);
    await inGroup(bobAgain, roomId);
    expect(await bobAgain.session.read(after)).toBeUndefined();
    const welcomeBack = await sendSealed(ana, roomId, 'welcome back');
    expect(await bobAgain.session.read(await receivedBy(bobAgain, welcomeBack.id))).toBe('welcome back');
  });

  it.each(['ban', 'removeMembers'] as const)('after a %s the remaining members remove the devices at once', async (how) => {
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    const carol = await device(url, 'carol', roomId);
    await sameEpoch([ana, bob, carol], roomId);
    if (how === 'ban') await chat.ban(roomId, bob.userId);
    else await chat.removeMembers(roomId, [bob.userId]);
    await waitFor(async () => expect(await groupUsers(ana, roomId)).toEqual([ana.userId, carol.userId].sort()));
    await sameEpoch([ana, carol], roomId);
    const after = await sendSealed(carol, roomId, `after the ${how}`);
    expect(await ana.session.read(await receivedBy(ana, after.id))).toBe(`after the ${how}`);
    expect(bob.received.map((m) => m.id)).not.toContain(after.id);
    expect(await bob.session.read({ ...after, id: 'copy-for-bob' })).toBeUndefined();
  });

  it('a device away through ten commits catches up on them in order and reads what follows', async () => {
    const { url, roomId } = await encryptedChat(makeStore);
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    const carol = await device(url, 'carol', roomId);
    const start = await sameEpoch([ana, bob, carol], roomId);
    carol.socket.disconnect();
    for (let i = 0; i < 10; i++) {
      // Each commit in turn from Ana and Bob, once the other has applied the last one.
      await sameEpoch([ana, bob], roomId);
      await updateCommit(i % 2 === 0 ? ana : bob, roomId);
    }
    await sameEpoch([ana, bob], roomId);
    expect(ana.session.epoch(roomId)).toBe(start + 10);
    expect(carol.session.epoch(roomId)).toBe(start);
    await reconnect(carol, url, roomId);
    expect(carol.session.epoch(roomId)).toBe(start + 10);
    const sent = await sendSealed(bob, roomId, 'ten commits later');
    expect(await carol.session.read(await receivedBy(carol, sent.id))).toBe('ten commits later');
    const reply = await sendSealed(carol, roomId, 'caught up');
    expect(await ana.session.read(await receivedBy(ana, reply.id))).toBe('caught up');
  });

  it('a restarted server (on the same store) keeps every group: devices reconnect and keep reading', async () => {
    const first = await encryptedChat(makeStore);
    const { roomId } = first;
    const ana = await device(first.url, 'ana', roomId);
    const bob = await device(first.url, 'bob', roomId);
    const epoch = await sameEpoch([ana, bob], roomId);
    const before = await sendSealed(ana, roomId, 'before the restart');
    expect(await bob.session.read(await receivedBy(bob, before.id))).toBe('before the restart');
    // The same store object again (the memory store lives as long as the host keeps it); for
    // PostgreSQL, a new store on the same database.
    const store = first.store instanceof PostgresStore ? makeStore() : first.store;
    const second = await restartChat(first, { authenticate: byToken, store });
    await reconnect(ana, second.url, roomId);
    await reconnect(bob, second.url, roomId);
    expect(ana.session.epoch(roomId)).toBe(epoch);
    const after = await sendSealed(bob, roomId, 'after the restart');
    expect(await ana.session.read(await receivedBy(ana, after.id))).toBe('after the restart');
    // A device that joins after the restart is added by the members from the stored group.
    const carol = await device(second.url, 'carol', roomId);
    await sameEpoch([ana, bob, carol], roomId);
    const third = await sendSealed(carol, roomId, 'new after the restart');
    expect(await bob.session.read(await receivedBy(bob, third.id))).toBe('new after the restart');
  });

  it("the words of an encrypted room reach no log line, no error event, no search and no store's row", async () => {
    const logged: unknown[][] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args));
    }
    const { url, chat, roomId } = await encryptedChat(makeStore);
    const errors: ChatErrorData[] = [];
    chat.on('error', (error) => errors.push({ code: error.code, message: error.message }));
    const ana = await device(url, 'ana', roomId);
    const bob = await device(url, 'bob', roomId);
    await inGroup(bob, roomId);
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const sent = await sendSealed(ana, roomId, `blood test results ${marker}`);
    expect(await bob.session.read(await receivedBy(bob, sent.id))).toBe(`blood test results ${marker}`);
    // A stale send and a commit the server refuses go through its error paths too.
    await request(ana.socket, 'message:send', {
      roomId,
      clientId: 'stale-1',
      text: '',
      ciphertext: sent.ciphertext,
      epoch: 0,
      deviceId: 'd',
    });
    await request(ana.socket, 'e2ee:commit', { roomId, deviceId: 'not-in-group', epoch: 99, commit: sent.ciphertext! });
    const search = await request(bob.socket, 'message:search', { query: marker, roomId });
    if (search.ok) expect(search.data.results).toHaveLength(0);
    expect(JSON.stringify(logged)).not.toContain(marker);
    expect(JSON.stringify(errors)).not.toContain(marker);
    await expectStoredNowhere(chat, marker, [ana.userId], { found: sent.id });
  });
});
