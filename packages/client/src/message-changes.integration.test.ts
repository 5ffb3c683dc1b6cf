import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { MemoryStore, type ChatServerOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { okData, rawSocket, request, sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { waitFor } from '../../../test-support/wait.js';
import type { ChatRoom } from './chat-room.js';

const byId = (room: ChatRoom, id: string): Message | undefined => room.messages.find((m) => m.id === id);

// Edit, react, unreact and delete between two clients; both end on the store's state.
async function roundTrips(options: ChatServerOptions): Promise<void> {
  const { url, chat } = await startChat(options);
  const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('changes');
  const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('changes');
  const anaId = ana.self?.id as string;
  const luisId = luis.self?.id as string;
  await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
  const seen: Message[] = [];
  luis.on('messageUpdated', (m) => seen.push(m));

  // Mentions: only users present in the room stay.
  const sent = await ana.send({ text: 'hola @Luis', mentions: [luisId, 'ghost'] });
  expect(sent.mentions).toEqual([luisId]);
  await waitFor(() => expect(byId(luis, sent.id)?.mentions).toEqual([luisId]));

  // The ack's message is in `messages` as soon as the promise resolves.
  const edited = await ana.edit(sent.id, 'hola, Luis', { mentions: [] });
  expect(edited).toMatchObject({ id: sent.id, text: 'hola, Luis', editedAt: expect.any(String) });
  expect(edited.rev).toBeGreaterThan(sent.rev);
  expect(byId(ana, sent.id)).toEqual(edited);
  await waitFor(() => expect(byId(luis, sent.id)).toEqual(edited));

  const anaReacted = await ana.react(sent.id, '👍');
  expect(byId(ana, sent.id)?.rev).toBeGreaterThanOrEqual(anaReacted.rev);
  await luis.react(sent.id, '👍');
  await luis.react(sent.id, '🎉');
  for (const room of [ana, luis]) {
    await waitFor(() =>
      expect(byId(room, sent.id)?.reactions).toEqual({
        '👍': { count: 2, userIds: [anaId, luisId] },
        '🎉': { count: 1, userIds: [luisId] },
      }),
    );
  }
  const reacted = byId(ana, sent.id) as Message;
  expect(ana.reactedBy(reacted, '👍')).toBe(true);
  expect(ana.reactedBy(reacted, '🎉')).toBe(false);
  expect(ana.reactedBy(reacted, '🎉', luisId)).toBe(true);

  // Reacting twice changes nothing; taking back a reaction that is not there neither.
  const again = await luis.react(sent.id, '👍');
  expect(again.reactions?.['👍']?.count).toBe(2);
  await luis.unreact(sent.id, '👍');
  const none = await ana.unreact(sent.id, '❤️');
  expect(none.reactions?.['❤️']).toBeUndefined();
  await waitFor(() => expect(byId(ana, sent.id)?.reactions?.['👍']).toEqual({ count: 1, userIds: [anaId] }));

  const deleted = await ana.delete(sent.id);
  expect(deleted).toMatchObject({ id: sent.id, seq: sent.seq, text: '', attachments: [], deletedAt: expect.any(String) });
  expect(deleted.reactions).toBeUndefined();
  expect(deleted.mentions ?? []).toEqual([]);
  await waitFor(() => expect(byId(luis, sent.id)).toEqual(deleted));
  expect(luis.reactedBy(deleted, '👍', anaId)).toBe(false);

  // Every copy Luis was told about was newer than the one before it.
  const revs = seen.map((m) => m.rev);
  expect(revs).toEqual([...revs].sort((a, b) => a - b));
  expect(new Set(revs).size).toBe(revs.length);
  expect(seen.at(-1)).toEqual(deleted);

  const stored = await chat.store.listMessages('changes', { limit: 100 });
  expect(ana.messages).toEqual(stored.messages);
  expect(luis.messages).toEqual(stored.messages);
}

describe('edits, deletes and reactions go round between clients', () => {
  it('on the memory store', async () => {
    await roundTrips({ store: new MemoryStore() });
  });

  describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
    const schema = useTestSchema();
    it('on the PostgreSQL store', async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      await store.init();
      await roundTrips({ store });
    });
  });

  it('in an ephemeral room', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'eph', options: { ephemeral: true } });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('eph');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('eph');
    const sent = await ana.send('fleeting');
    await ana.edit(sent.id, 'fleeting, edited');
    await luis.react(sent.id, '👀');
    const expected = { text: 'fleeting, edited', reactions: { '👀': { count: 1, userIds: [luis.self?.id] } } };
    await waitFor(() => expect(byId(luis, sent.id)).toMatchObject(expected));
    await waitFor(() => expect(byId(ana, sent.id)).toMatchObject(expected));
  });
});

describe('refused changes', () => {
  it('get a coded error and change nothing held', async () => {
    const { url } = await startChat();
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('no');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('no');
    const mine = await ana.send('mine');
    await waitFor(() => expect(byId(luis, mine.id)).toBeDefined());
    const before = [...luis.messages];

    await expect(luis.edit(mine.id, 'not yours')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(luis.delete(mine.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(luis.edit('no-such-id', 'x')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    await expect(ana.edit(mine.id, '   ')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(luis.react(mine.id, 'not an emoji')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(luis.messages).toEqual(before);

    await ana.delete(mine.id);
    await expect(ana.edit(mine.id, 'back')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    await expect(luis.react(mine.id, '👍')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    // Deleting again is no error and no change.
    const twice = await ana.delete(mine.id);
    expect(twice.deletedAt).toBe(byId(ana, mine.id)?.deletedAt);
  });

  it('fail with the room closed error once the room is left', async () => {
    const { url } = await startChat();
    const ana = await sdkClient(url).join('gone');
    const sent = await ana.send('x');
    await ana.leave();
    await expect(ana.react(sent.id, '👍')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
  });
});

describe('changes and the connection', () => {
  it('a change made while offline waits for the re-join, then goes and is seen by others', async () => {
    const { url } = await startChat();
    const client = sdkClient(url, { auth: { name: 'Ana' }, socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const ana = await client.join('off');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('off');
    const sent = await ana.send('typo');
    client.socket.io.engine.close();
    expect(client.state).toBe('reconnecting');
    const edited = ana.edit(sent.id, 'fixed');
    const reacted = ana.react(sent.id, '✅');
    await expect(edited).resolves.toMatchObject({ text: 'fixed' });
    await expect(reacted).resolves.toMatchObject({ reactions: { '✅': { count: 1 } } });
    expect(ana.outbox).toEqual([]);
    await waitFor(() => expect(byId(luis, sent.id)).toMatchObject({ text: 'fixed', reactions: { '✅': { count: 1 } } }));
  });

  it('RATE_LIMITED changes are waited out and sent again', async () => {
    const { url, chat } = await startChat({ limits: { eventBurst: 3, eventsPerSecond: 20 } });
    const ana = await sdkClient(url).join('slow');
    const sent = await ana.send('react a lot');
    const emojis = ['👍', '❤️', '😂', '😮', '😢', '🙏', '🎉', '🔥'];
    const results = await Promise.all(emojis.map((e) => ana.react(sent.id, e)));
    expect(Object.keys(results.at(-1)?.reactions ?? {}).sort()).toEqual([...emojis].sort());
    const stored = await chat.store.getMessage('slow', sent.id);
    expect(Object.keys(stored?.reactions ?? {}).sort()).toEqual([...emojis].sort());
    expect(byId(ana, sent.id)).toEqual(stored);
  });
});

describe('reactedBy', () => {
  it('beyond the 25 listed user ids, knows about yourself from this session only', async () => {
    const { url } = await startChat();
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    const ana = await client.join('crowd');
    const sent = await ana.send('react, everyone');
    for (let i = 0; i < 25; i++) {
      const socket = await rawSocket(url, { name: `fan ${i}` });
      okData(await request(socket, 'room:join', { roomId: 'crowd' }));
      okData(await request(socket, 'reaction:add', { roomId: 'crowd', messageId: sent.id, emoji: '👏' }));
    }
    const mine = await ana.react(sent.id, '👏');
    expect(mine.reactions?.['👏']?.count).toBe(26);
    expect(mine.reactions?.['👏']?.userIds).not.toContain(ana.self?.id);
    expect(ana.reactedBy(mine, '👏')).toBe(true);
    expect(ana.reactedBy(mine, '👏', 'someone-else')).toBeUndefined();

    // The same user after a reload: the message alone cannot tell.
    const reloaded = await sdkClient(url, { auth: { name: 'Ana', guestKey: client.guestKey as string } }).join('crowd');
    expect(reloaded.self?.id).toBe(ana.self?.id);
    const copy = byId(reloaded, sent.id) as Message;
    expect(reloaded.reactedBy(copy, '👏')).toBeUndefined();
    const taken = await reloaded.unreact(sent.id, '👏');
    expect(taken.reactions?.['👏']?.count).toBe(25);
    expect(reloaded.reactedBy(taken, '👏')).toBe(false);
  });
});

describe('catching up changes after a re-join', () => {
  it('pages the changes to held messages since the last join, and a live change to an unloaded message waits for history()', async () => {
    const { url, chat } = await startChat({ limits: { maxHistoryPage: 10, defaultHistoryPage: 3 } });
    const bot = { id: 'bot', name: 'Bot' };
    const posted: Message[] = [];
    for (let i = 1; i <= 12; i++) posted.push(await chat.sendMessage('cu', { user: bot, text: `m${i}` }));
    const client = sdkClient(url, { auth: { name: 'Away' } });
    const room = await client.join('cu');
    // The join loads the latest page (10..12); one page back to seq 5 so the room holds 5..12.
    await room.history({ limit: 5 });
    expect(room.messages.map((m) => m.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    const changedAfter: Array<{ changedAfter: number; minSeq?: number; maxSeq?: number }> = [];
    chat.io.on('connection', (s) =>
      s.onAny((event: string, payload: { changedAfter?: number; minSeq?: number; maxSeq?: number }) => {
        if (event === 'message:history' && payload.changedAfter !== undefined) changedAfter.push(payload as never);
      }),
    );
    const updated: number[] = [];
    room.on('messageUpdated', (m) => updated.push(m.seq));

    client.socket.io.reconnection(false);
    client.socket.io.engine.close();
    await waitFor(() => expect(client.state).toBe('reconnecting'));
    // While away: changes to held messages (more than one page), one to an older message, and new messages.
    const at = (seq: number) => posted[seq - 1] as Message;
    await chat.editMessage('cu', at(5).id, 'm5 edited');
    await chat.deleteMessage('cu', at(6).id);
    await chat.editMessage('cu', at(7).id, 'm7 edited');
    await chat.editMessage('cu', at(7).id, 'm7 edited twice');
    await chat.editMessage('cu', at(9).id, 'm9 edited');
    await chat.deleteMessage('cu', at(11).id);
    await chat.editMessage('cu', at(2).id, 'm2 edited (not loaded)');
    for (let i = 13; i <= 17; i++) posted.push(await chat.sendMessage('cu', { user: bot, text: `m${i}` }));
    await chat.editMessage('cu', at(14).id, 'm14 edited');
    client.socket.io.reconnection(true);
    client.socket.connect();

    await waitFor(() => expect(room.state === 'joined' && client.state === 'connected').toBe(true));
    const stored = (await chat.store.listMessages('cu', { limit: 100 })).messages;
    expect(room.messages).toEqual(stored.filter((m) => m.seq >= 5));
    // One entry per changed held message (7 changed twice), over two pages of 3; m2 was not asked for.
    expect(updated.sort((a, b) => a - b)).toEqual([5, 6, 7, 9, 11]);
    expect(changedAfter.length).toBe(2);
    expect(changedAfter[0]).toMatchObject({ minSeq: 5, maxSeq: 12 });

    // Live: a change to a message older than the loaded ones is not taken in; history() brings it as it is.
    await chat.editMessage('cu', at(3).id, 'm3 edited');
    await chat.editMessage('cu', at(12).id, 'm12 edited');
    await waitFor(() => expect(byId(room, at(12).id)?.text).toBe('m12 edited'));
    expect(room.messages[0]?.seq).toBe(5);
    while (room.hasMoreHistory) await room.history();
    expect(room.messages).toEqual((await chat.store.listMessages('cu', { limit: 100 })).messages);
  });
});
