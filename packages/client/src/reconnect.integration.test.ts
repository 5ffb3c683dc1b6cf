import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { MemoryStore, type ChatServerOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { awayAndBack, sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import type { ChatClient } from './chat-client.js';
import { waitFor } from '../../../test-support/wait.js';

const pace = () => new Promise((resolve) => setTimeout(resolve, 2));

function cutFromClient(client: ChatClient): void {
  client.socket.io.engine.close();
}

describe('reconnects lose nothing and double nothing', () => {
  it('cuts the transport while another client keeps sending; the reader sends through the cuts', async () => {
    const { url, chat } = await startChat({ limits: { messageBurst: 1000, messagesPerSecond: 1000 } });
    const reader = sdkClient(url, { auth: { name: 'Reader' } });
    const room = await reader.join('live');
    const writer = await sdkClient(url, { auth: { name: 'Writer' } }).join('live');
    const total = 150;
    const sending = (async () => {
      for (let i = 0; i < total; i++) {
        await writer.send(`w${i}`);
        await pace();
      }
    })();

    const states: string[] = [];
    reader.on('state', (s) => states.push(s));
    const own: Array<Promise<Message>> = [];
    for (let cut = 0; cut < 4; cut++) {
      await waitFor(() => expect(room.messages.length).toBeGreaterThan(cut * 30 + 10));
      own.push(room.send(`r${cut}-as-cut`)); // may be stored while its ack is lost
      if (cut % 2 === 0) cutFromClient(reader);
      else for (const s of chat.io.of('/').sockets.values()) if (s.handshake.auth['name'] === 'Reader') s.conn.close(); // server-side drop
      own.push(room.send(`r${cut}-offline`)); // queued in the outbox
      await waitFor(() => expect(reader.state).toBe('connected'));
    }
    await sending;
    const mine = await Promise.all(own);
    expect(states).toContain('reconnecting');

    const expected = total + own.length;
    await waitFor(() => expect(room.messages.length).toBe(expected));
    expect(room.messages.map((m) => m.seq)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    expect(new Set(room.messages.map((m) => m.id)).size).toBe(expected);
    expect(room.outbox).toEqual([]);
    // Writer's messages arrive in the order sent.
    expect(room.messages.filter((m) => m.user.name === 'Writer').map((m) => m.text)).toEqual(
      Array.from({ length: total }, (_, i) => `w${i}`),
    );

    const stored = await chat.store.listMessages('live', { limit: 1000 });
    const readerTexts = stored.messages.filter((m) => m.user.name === 'Reader').map((m) => m.text);
    expect(readerTexts.sort()).toEqual(mine.map((m) => m.text).sort());
    expect(readerTexts).toHaveLength(own.length);
  });

  it('a message sent while offline waits in the outbox as pending and is delivered after the reconnect', async () => {
    const { url } = await startChat();
    const client = sdkClient(url, { socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('q');
    const other = await sdkClient(url).join('q');
    cutFromClient(client);
    expect(client.state).toBe('reconnecting');
    const sent = room.send('queued');
    expect(room.outbox.map((e) => [e.text, e.status])).toEqual([['queued', 'pending']]);
    const message = await sent;
    expect(message.seq).toBe(1);
    await waitFor(() => expect(other.messages.map((m) => m.text)).toEqual(['queued']));
    expect(room.outbox).toEqual([]);
  });

  it('members are right again after a reconnect and a peer leaving while we were away', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 10 });
    const client = sdkClient(url, { auth: { name: 'Ana' }, socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('m');
    const luis = sdkClient(url, { auth: { name: 'Luis' } });
    await luis.join('m');
    await waitFor(() => expect(room.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    cutFromClient(client);
    luis.close();
    await waitFor(() => expect(client.state).toBe('connected'));
    await waitFor(() => expect(room.members.map((m) => m.name)).toEqual(['Ana']));
  });

  it('leave() fails what is still queued with NOT_IN_ROOM', async () => {
    const { url } = await startChat();
    const client = sdkClient(url, { socketOptions: { reconnectionDelay: 5000, reconnectionDelayMax: 5000 } });
    const room = await client.join('l');
    cutFromClient(client);
    const sent = room.send('never');
    await room.leave();
    await expect(sent).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    expect(client.getRoom('l')).toBeUndefined();
  });
});

// The client stays offline while a bot posts 3.5 history pages; on the way back it must re-join
// `since` what it had and page forward to the end before it calls itself joined again.
async function longOutage(options: ChatServerOptions): Promise<void> {
  const { url, chat } = await startChat({ ...options, limits: { maxHistoryPage: 100, defaultHistoryPage: 20 } });
  const bot = { id: 'bot', name: 'Bot' };
  for (let i = 1; i <= 5; i++) await chat.sendMessage('long', { user: bot, text: `before ${i}` });
  const client = sdkClient(url, { auth: { name: 'Away' } });
  const room = await client.join('long');
  expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  const announced: number[] = [];
  room.on('message', (m) => announced.push(m.seq));
  // What the room holds the moment it is joined again, before the gap filler could help.
  const atRejoin = new Promise<number[]>((resolve) => {
    let back = false;
    client.on('state', (state) => (back ||= state === 'connected'));
    room.on('updated', () => {
      if (back && room.state === 'joined') resolve(room.messages.map((m) => m.seq));
    });
  });

  client.socket.io.reconnection(false);
  cutFromClient(client);
  await waitFor(() => expect(client.state).toBe('reconnecting'));
  const total = 5 + 350;
  for (let i = 6; i <= total; i++) await chat.sendMessage('long', { user: bot, text: `while away ${i}` });
  client.socket.io.reconnection(true);
  client.socket.connect();

  const all = Array.from({ length: total }, (_, i) => i + 1);
  expect(await atRejoin).toEqual(all);
  expect(announced).toEqual(all.slice(5));
  expect(new Set(room.messages.map((m) => m.id)).size).toBe(total);
  expect(room.messages.at(-1)?.text).toBe(`while away ${total}`);
}

describe('a reconnect after a gap longer than several history pages loses nothing and doubles nothing', () => {
  it('on the memory store', async () => {
    await longOutage({ store: new MemoryStore() });
  });

  describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
    const schema = useTestSchema();
    it('on the PostgreSQL store', async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      await store.init();
      await longOutage({ store });
    });
  });
});

describe('a message lost while connected', () => {
  it('is fetched when the seqs show a hole that lasts', async () => {
    const { url, chat } = await startChat();
    const room = await sdkClient(url).join('gap');
    await chat.sendMessage('gap', { user: { id: 'bot', name: 'Bot' }, text: 'one' });
    // Stored but never broadcast: what a lost broadcast looks like to a client.
    await chat.store.appendMessage({
      roomId: 'gap',
      clientId: 'lost',
      user: { id: 'bot', name: 'Bot' },
      text: 'two (lost)',
      attachments: [],
    });
    await chat.sendMessage('gap', { user: { id: 'bot', name: 'Bot' }, text: 'three' });
    await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['one', 'two (lost)', 'three']));
  });

  it('steps over a hole the store no longer has (trimmed), and asks from the new place next time', async () => {
    const { url, chat } = await startChat({ store: new MemoryStore({ maxMessagesPerRoom: 2 }) });
    const room = await sdkClient(url).join('trim');
    const asked: unknown[] = [];
    for (const s of chat.io.of('/').sockets.values()) {
      s.onAny((event: string, payload: { after?: number }) => {
        if (event === 'message:history') asked.push(payload.after);
      });
    }
    const bot = { id: 'bot', name: 'Bot' };
    const lost = (text: string) => chat.store.appendMessage({ roomId: 'trim', clientId: text, user: bot, text, attachments: [] });
    // Seqs 1 and 2 are never broadcast, and 1 is trimmed before the client can fetch it.
    await lost('one (lost, trimmed)');
    await lost('two (lost)');
    await chat.sendMessage('trim', { user: bot, text: 'three' });
    await waitFor(() => expect(room.messages.map((m) => m.seq)).toEqual([2, 3]));
    expect(asked).toEqual([0]);
    // A later hole is asked for from after the step, not from the old hole again.
    await lost('four (lost)');
    await chat.sendMessage('trim', { user: bot, text: 'five' });
    await waitFor(() => expect(room.messages.map((m) => m.seq)).toEqual([2, 3, 4, 5]));
    expect(asked).toEqual([0, 3]);
  });

  it('steps over a hole the server cannot fill (ephemeral rooms) without asking forever', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'eph-gap', options: { ephemeral: true } });
    const requests: string[] = [];
    chat.io.on('connection', (s) => s.onAny((event: string) => requests.push(event)));
    // What was sent before a client joined an ephemeral room is not a hole for it.
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'one' });
    const client = sdkClient(url);
    const joinedLate = await client.join('eph-gap');
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'two' });
    await waitFor(() => expect(joinedLate.messages.map((m) => m.seq)).toEqual([2]));
    // Away while 3 goes by: after the re-join, 4 shows a hole the server cannot fill.
    await awayAndBack(chat, 'eph-gap', async () => {
      await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'three' });
    });
    const steppedOver = new Promise((resolve) => joinedLate.once('discontinuity', resolve));
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'four' });
    // The hole is asked about once; with nothing to fill it, the room steps over it (and says so).
    expect(await steppedOver).toEqual({ reason: 'gap', after: 2, resumedAt: 4 });
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'five' });
    await waitFor(() => expect(joinedLate.messages.map((m) => m.seq)).toEqual([2, 4, 5]));
    expect(requests.filter((e) => e === 'message:history').length).toBe(1);
  });
});
