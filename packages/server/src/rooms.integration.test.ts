import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '@chat/protocol';
import { MemoryStore } from './store/memory-store.js';
import { rawSocket, request, sdkClient, startChat } from '../../../test-support/servers.js';

describe('rooms, messages, presence and typing over Socket.IO', () => {
  it('joins, sends, and the other member receives in seq order with the server-assigned sender', async () => {
    const { url } = await startChat();
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('room-1');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('room-1');
    expect(ana.self?.name).toBe('Ana');
    expect(luis.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']);
    await vi.waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));

    const first = await ana.send('hello');
    const second = await ana.send({ text: 'again', replyTo: first.id });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.user).toEqual({ id: ana.self?.id, name: 'Ana' });
    expect(second.replyTo).toBe(first.id);
    await vi.waitFor(() => expect(luis.messages.map((m) => m.text)).toEqual(['hello', 'again']));
  });

  it('answers a join with the room, members and the latest page, and pages history oldest first', async () => {
    const { url, chat } = await startChat({ limits: { defaultHistoryPage: 5 } });
    for (let i = 1; i <= 12; i++) await chat.sendMessage('hist', { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    const socket = await rawSocket(url);
    const joined = await request(socket, 'room:join', { roomId: 'hist' });
    if (!joined.ok) throw new Error('join failed');
    expect(joined.data.room.id).toBe('hist');
    expect(joined.data.messages.map((m) => m.text)).toEqual(['m8', 'm9', 'm10', 'm11', 'm12']);
    expect(joined.data.hasMore).toBe(true);
    const page = await request(socket, 'message:history', { roomId: 'hist', before: 8, limit: 4 });
    expect(page).toMatchObject({ ok: true, data: { hasMore: true } });
    if (page.ok) expect(page.data.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    const last = await request(socket, 'message:history', { roomId: 'hist', before: 4, limit: 10 });
    if (last.ok) expect([last.data.messages.map((m) => m.seq), last.data.hasMore]).toEqual([[1, 2, 3], false]);
    const after = await request(socket, 'message:history', { roomId: 'hist', after: 10 });
    if (after.ok) expect([after.data.messages.map((m) => m.seq), after.data.hasMore]).toEqual([[11, 12], false]);
    const since = await request(socket, 'room:leave', { roomId: 'hist' }).then(() =>
      request(socket, 'room:join', { roomId: 'hist', since: 9 }),
    );
    if (since.ok) expect(since.data.messages.map((m) => m.seq)).toEqual([10, 11, 12]);
  });

  it('the SDK loads older history into room.messages', async () => {
    const { url, chat } = await startChat({ limits: { defaultHistoryPage: 3 } });
    for (let i = 1; i <= 7; i++) await chat.sendMessage('old', { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    const room = await sdkClient(url).join('old');
    expect(room.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(room.hasMoreHistory).toBe(true);
    await room.history();
    await room.history();
    expect(room.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(room.hasMoreHistory).toBe(false);
  });

  it('a resend with the same clientId returns the stored message and is not broadcast again', async () => {
    const { url } = await startChat();
    const sender = await rawSocket(url, { name: 'Ana' });
    const other = await rawSocket(url, { name: 'Luis' });
    await request(sender, 'room:join', { roomId: 'r' });
    await request(other, 'room:join', { roomId: 'r' });
    const seen: string[] = [];
    other.on('message', (m) => seen.push(m.id));
    const a = await request(sender, 'message:send', { roomId: 'r', clientId: 'c-1', text: 'once' });
    const b = await request(sender, 'message:send', { roomId: 'r', clientId: 'c-1', text: 'once' });
    const c = await request(sender, 'message:send', { roomId: 'r', clientId: 'c-2', text: 'twice' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('send failed');
    expect(b.data.message).toEqual(a.data.message);
    await vi.waitFor(() => expect(seen).toEqual([a.data.message.id, c.data.message.id]));
  });

  it('a client cannot set the sender: extra fields are ignored', async () => {
    const { url } = await startChat();
    const socket = await rawSocket(url, { name: 'Ana' });
    await request(socket, 'room:join', { roomId: 'r' });
    const payload = { roomId: 'r', clientId: 'x1', text: 'hi', user: { id: 'admin', name: 'Admin' }, seq: 99, id: 'forged' };
    const res = await request(socket, 'message:send', payload);
    if (!res.ok) throw new Error('send failed');
    expect(res.data.message.user.name).toBe('Ana');
    expect(res.data.message.seq).toBe(1);
    expect(res.data.message.id).not.toBe('forged');
  });

  it('several sockets of one user are one member, who leaves with the last socket', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 10 });
    const watcher = await sdkClient(url, { auth: { name: 'Watcher' } }).join('p');
    const tab1 = await rawSocket(url, { name: 'Ana', guestKey: 'same-guest-key-123456' });
    const tab2 = await rawSocket(url, { name: 'Ana', guestKey: 'same-guest-key-123456' });
    await request(tab1, 'room:join', { roomId: 'p' });
    const second = await request(tab2, 'room:join', { roomId: 'p' });
    expect(second.ok).toBe(true);
    await vi.waitFor(() => expect(watcher.members.map((m) => m.name).sort()).toEqual(['Ana', 'Watcher']));
    tab1.disconnect();
    const stillThere = await request(tab2, 'typing', { roomId: 'p', typing: false });
    expect(stillThere.ok).toBe(true);
    expect(watcher.members.map((m) => m.name).sort()).toEqual(['Ana', 'Watcher']);
    const left = new Promise((resolve) => watcher.once('presence', resolve));
    tab2.disconnect();
    await left;
    expect(watcher.members.map((m) => m.name)).toEqual(['Watcher']);
  });

  it('coalesces a burst of joins into a few presence events', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 50 });
    const watcher = await rawSocket(url, { name: 'Watcher' });
    await request(watcher, 'room:join', { roomId: 'burst' });
    let events = 0;
    const names = new Set<string>();
    watcher.on('presence', (d) => {
      events++;
      for (const m of d.joined) if (m.name !== 'Watcher') names.add(m.name);
    });
    const sockets = await Promise.all(Array.from({ length: 30 }, (_, i) => rawSocket(url, { name: `guest ${i}` })));
    await Promise.all(sockets.map((s) => request(s, 'room:join', { roomId: 'burst' })));
    await vi.waitFor(() => expect(names.size).toBe(30));
    expect(events).toBeLessThanOrEqual(5);
  });

  it('typing carries the whole list, expires by itself and clears on send and on leave', async () => {
    const { url } = await startChat({ typingTimeoutMs: 300 });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('t');
    const luisClient = sdkClient(url, { auth: { name: 'Luis' }, typingThrottleMs: 0 });
    const luis = await luisClient.join('t');
    const typingNow = () => ana.typingUsers.map((u) => u.name);

    luis.typing();
    await vi.waitFor(() => expect(typingNow()).toEqual(['Luis']));
    expect(luis.typingUsers).toEqual([]); // yourself is left out
    await vi.waitFor(() => expect(typingNow()).toEqual([]), { timeout: 2000 }); // expired

    luis.typing();
    await vi.waitFor(() => expect(typingNow()).toEqual(['Luis']));
    await luis.send('done typing');
    await vi.waitFor(() => expect(typingNow()).toEqual([]));

    luis.typing();
    await vi.waitFor(() => expect(typingNow()).toEqual(['Luis']));
    luisClient.close();
    await vi.waitFor(() => expect(typingNow()).toEqual([]));
  });

  it('chat.sendMessage posts as a bot, and chat.on reports message, join and leave', async () => {
    const { url, chat } = await startChat({ presenceCoalesceMs: 10 });
    const events: string[] = [];
    chat.on('join', (e) => events.push(`join ${e.member.name}`));
    chat.on('leave', (e) => events.push(`leave ${e.user.name}`));
    chat.on('message', (m) => events.push(`message ${m.text}`));
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    const room = await client.join('bots');
    const sent = await chat.sendMessage('bots', { user: { id: 'bot', name: 'Bot' }, text: 'Welcome!' });
    await vi.waitFor(() => expect(room.messages.map((m) => m.id)).toEqual([sent.id]));
    expect(sent.user).toEqual({ id: 'bot', name: 'Bot' });
    await room.leave();
    await vi.waitFor(() => expect(events).toEqual(['join Ana', 'message Welcome!', 'leave Ana']));
  });

  it('close() disconnects chat sockets but leaves the host HTTP server serving', async () => {
    const { createServer } = await import('node:http');
    const http = createServer((_req, res) => res.end('host app'));
    const { url, chat } = await startChat({}, http);
    const socket = await rawSocket(url);
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    await chat.close();
    await gone;
    expect(http.listening).toBe(true);
    const res = await fetch(`${url}/anything`);
    expect(await res.text()).toBe('host app');
    const sio = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(await sio.text()).toBe('host app'); // the host's handler has the path back
  });

  it('reuses an existing Socket.IO server passed as io, on its own namespace', async () => {
    const { createServer } = await import('node:http');
    const { Server } = await import('socket.io');
    const http = createServer();
    const io = new Server(http);
    io.on('connection', (s) => s.emit('hello-from-host'));
    const { url, chat } = await startChat({ io, namespace: '/chat' }, http);
    const client = sdkClient(url, { namespace: '/chat', auth: { name: 'Ana' } });
    const room = await client.join('shared');
    expect(room.self?.name).toBe('Ana');
    expect(chat.io).toBe(io);
    await chat.close();
    io.close();
  });
});

describe('store failures', () => {
  it('turn into INTERNAL for the client and chat.on("error") for the host, and the server keeps serving', async () => {
    class FailingStore extends MemoryStore {
      override async appendMessage(): Promise<never> {
        throw new Error('disk on fire at /var/secret');
      }
    }
    const { url, chat } = await startChat({ store: new FailingStore() });
    const errors: ChatError[] = [];
    chat.on('error', (e) => errors.push(e));
    const room = await sdkClient(url).join('r');
    const failure = await room.send('hi').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChatError);
    expect((failure as ChatError).code).toBe('INTERNAL');
    expect((failure as ChatError).message).not.toContain('secret');
    expect(errors).toHaveLength(1);
    expect(String((errors[0]?.cause as Error).message)).toContain('disk on fire');
    expect(room.outbox[0]?.status).toBe('failed');
    const again = await sdkClient(url).join('r');
    expect(again.state).toBe('joined');
  });
});
