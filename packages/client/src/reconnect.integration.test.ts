import { describe, expect, it, vi } from 'vitest';
import type { Message } from '@chat/protocol';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import type { ChatClient } from './chat-client.js';

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
      await vi.waitFor(() => expect(room.messages.length).toBeGreaterThan(cut * 30 + 10), { timeout: 10_000 });
      own.push(room.send(`r${cut}-as-cut`)); // may be stored while its ack is lost
      if (cut % 2 === 0) cutFromClient(reader);
      else for (const s of chat.io.of('/').sockets.values()) if (s.handshake.auth['name'] === 'Reader') s.conn.close(); // server-side drop
      own.push(room.send(`r${cut}-offline`)); // queued in the outbox
      await vi.waitFor(() => expect(reader.state).toBe('connected'));
    }
    await sending;
    const mine = await Promise.all(own);
    expect(states).toContain('reconnecting');

    const expected = total + own.length;
    await vi.waitFor(() => expect(room.messages.length).toBe(expected), { timeout: 10_000 });
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
    await vi.waitFor(() => expect(other.messages.map((m) => m.text)).toEqual(['queued']));
    expect(room.outbox).toEqual([]);
  });

  it('members are right again after a reconnect and a peer leaving while we were away', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 10 });
    const client = sdkClient(url, { auth: { name: 'Ana' }, socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
    const room = await client.join('m');
    const luis = sdkClient(url, { auth: { name: 'Luis' } });
    await luis.join('m');
    await vi.waitFor(() => expect(room.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    cutFromClient(client);
    luis.close();
    await vi.waitFor(() => expect(client.state).toBe('connected'));
    await vi.waitFor(() => expect(room.members.map((m) => m.name)).toEqual(['Ana']));
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
    await vi.waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['one', 'two (lost)', 'three']), { timeout: 5000 });
  });

  it('steps over a hole the server cannot fill (ephemeral rooms) without asking forever', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'eph-gap', options: { ephemeral: true } });
    const room = await sdkClient(url).join('eph-gap');
    const requests: string[] = [];
    chat.io.on('connection', (s) => s.onAny((event: string) => requests.push(event)));
    for (const s of chat.io.of('/').sockets.values()) s.onAny((event: string) => requests.push(event));
    // An ephemeral message broadcast before this client's join can never be fetched.
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'one' });
    const joinedLate = await sdkClient(url).join('eph-gap');
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'two' });
    await vi.waitFor(() => expect(joinedLate.messages.map((m) => m.seq)).toEqual([2]));
    await vi.waitFor(() => expect(requests.filter((e) => e === 'message:history').length).toBeGreaterThanOrEqual(1), { timeout: 5000 });
    const asked = requests.filter((e) => e === 'message:history').length;
    await chat.sendMessage('eph-gap', { user: { id: 'bot', name: 'Bot' }, text: 'three' });
    await vi.waitFor(() => expect(joinedLate.messages.map((m) => m.seq)).toEqual([2, 3]));
    expect(requests.filter((e) => e === 'message:history').length).toBe(asked);
    expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});
