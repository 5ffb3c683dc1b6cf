import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '@chat/protocol';
import { MemoryStore } from './store/memory-store.js';
import { okData, rawSocket, request, sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

describe('rooms, messages, presence and typing over Socket.IO', () => {
  it('joins, sends, and the other member receives in seq order with the server-assigned sender', async () => {
    const { url } = await startChat();
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('room-1');
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('room-1');
    expect(ana.self?.name).toBe('Ana');
    expect(luis.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']);
    await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));

    const first = await ana.send('hello');
    const second = await ana.send({ text: 'again', replyTo: first.id });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(first.user).toEqual({ id: ana.self?.id, name: 'Ana' });
    expect(second.replyTo).toBe(first.id);
    await waitFor(() => expect(luis.messages.map((m) => m.text)).toEqual(['hello', 'again']));
  });

  it('answers a join with the room, members and the latest page, and pages history oldest first', async () => {
    const { url, chat } = await startChat({ limits: { defaultHistoryPage: 5 } });
    for (let i = 1; i <= 12; i++) await chat.sendMessage('hist', { user: { id: 'bot', name: 'Bot' }, text: `m${i}` });
    const socket = await rawSocket(url);
    const joined = okData(await request(socket, 'room:join', { roomId: 'hist' }));
    expect(joined.room.id).toBe('hist');
    expect(joined.messages.map((m) => m.text)).toEqual(['m8', 'm9', 'm10', 'm11', 'm12']);
    expect(joined.hasMore).toBe(true);
    const page = okData(await request(socket, 'message:history', { roomId: 'hist', before: 8, limit: 4 }));
    expect([page.messages.map((m) => m.seq), page.hasMore]).toEqual([[4, 5, 6, 7], true]);
    const last = okData(await request(socket, 'message:history', { roomId: 'hist', before: 4, limit: 10 }));
    expect([last.messages.map((m) => m.seq), last.hasMore]).toEqual([[1, 2, 3], false]);
    const after = okData(await request(socket, 'message:history', { roomId: 'hist', after: 10 }));
    expect([after.messages.map((m) => m.seq), after.hasMore]).toEqual([[11, 12], false]);
    okData(await request(socket, 'room:leave', { roomId: 'hist' }));
    const since = okData(await request(socket, 'room:join', { roomId: 'hist', since: 9 }));
    expect(since.messages.map((m) => m.seq)).toEqual([10, 11, 12]);
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
    await waitFor(() => expect(seen).toEqual([a.data.message.id, c.data.message.id]));
  });

  it("another user's clientId is refused, not answered with that user's message", async () => {
    const { url } = await startChat();
    const ana = await rawSocket(url, { name: 'Ana' });
    const eve = await rawSocket(url, { name: 'Eve' });
    okData(await request(ana, 'room:join', { roomId: 'r' }));
    okData(await request(eve, 'room:join', { roomId: 'r' }));
    const mine = okData(await request(ana, 'message:send', { roomId: 'r', clientId: 'shared-key', text: 'private to Ana' }));
    expect(await request(eve, 'message:send', { roomId: 'r', clientId: 'shared-key', text: 'guess' })).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'This clientId is already used by another message.' },
    });
    // Ana's own resend is still answered with her message.
    expect(okData(await request(ana, 'message:send', { roomId: 'r', clientId: 'shared-key', text: 'private to Ana' })).message).toEqual(
      mine.message,
    );
  });

  it('ephemeral rooms: a resend with the same clientId is answered with the first message, not stored or broadcast again', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'eph', options: { ephemeral: true } });
    const sender = await rawSocket(url, { name: 'Ana' });
    const other = await rawSocket(url, { name: 'Luis' });
    okData(await request(sender, 'room:join', { roomId: 'eph' }));
    okData(await request(other, 'room:join', { roomId: 'eph' }));
    const seen: number[] = [];
    other.on('message', (m) => seen.push(m.seq));
    const first = okData(await request(sender, 'message:send', { roomId: 'eph', clientId: 'e-1', text: 'once' })).message;
    const again = okData(await request(sender, 'message:send', { roomId: 'eph', clientId: 'e-1', text: 'once' })).message;
    const next = okData(await request(sender, 'message:send', { roomId: 'eph', clientId: 'e-2', text: 'next' })).message;
    expect(again).toEqual(first);
    expect([first.seq, next.seq]).toEqual([1, 2]);
    await waitFor(() => expect(seen).toEqual([1, 2]));
  });

  it("beforeMessage's replyTo and attachments are what is stored, and the sender's avatar travels with the message", async () => {
    const attachment = { url: 'https://files.example/plan.pdf', type: 'application/pdf' };
    const { url } = await startChat({
      authenticate: () => ({ id: 'ana', name: 'Ana', avatarUrl: 'https://img.example/ana.png' }),
      beforeMessage: (draft) => (draft.text === 'with the plan' ? { ...draft, attachments: [attachment] } : draft),
    });
    const socket = await rawSocket(url, { token: 'any' });
    okData(await request(socket, 'room:join', { roomId: 'r' }));
    const first = okData(await request(socket, 'message:send', { roomId: 'r', clientId: 'a', text: 'hello' })).message;
    expect(first.user).toEqual({ id: 'ana', name: 'Ana', avatarUrl: 'https://img.example/ana.png' });
    expect(first.replyTo).toBeUndefined();
    const reply = okData(await request(socket, 'message:send', { roomId: 'r', clientId: 'b', text: 'with the plan', replyTo: first.id }));
    expect(reply.message).toMatchObject({ replyTo: first.id, attachments: [attachment] });
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
    const { url, chat } = await startChat({ presenceCoalesceMs: 10 });
    const watcher = await sdkClient(url, { auth: { name: 'Watcher' } }).join('p');
    const tab1 = await rawSocket(url, { name: 'Ana', guestKey: 'same-guest-key-123456' });
    const tab2 = await rawSocket(url, { name: 'Ana', guestKey: 'same-guest-key-123456' });
    okData(await request(tab1, 'room:join', { roomId: 'p' }));
    okData(await request(tab2, 'room:join', { roomId: 'p' }));
    await waitFor(() => expect(watcher.members.map((m) => m.name).sort()).toEqual(['Ana', 'Watcher']));
    const presence: string[] = [];
    watcher.on('presence', (change) => presence.push(...change.joined.map((m) => `+${m.name}`), ...change.left.map((m) => `-${m.name}`)));

    const sockets = chat.io.of('/').sockets;
    const before = sockets.size;
    tab1.disconnect();
    // The server has handled tab1's disconnect...
    await waitFor(() => expect(sockets.size).toBe(before - 1));
    // ...and a later presence change reaches the watcher after any it caused: Ana is still here.
    await rawSocket(url, { name: 'Marker' }).then((s) => request(s, 'room:join', { roomId: 'p' }));
    await waitFor(() => expect(presence).toContain('+Marker'));
    expect(presence).toEqual(['+Marker']);
    expect(watcher.members.map((m) => m.name).sort()).toEqual(['Ana', 'Marker', 'Watcher']);

    const left = new Promise((resolve) => watcher.once('presence', resolve));
    tab2.disconnect();
    await left;
    expect(presence).toEqual(['+Marker', '-Ana']);
    expect(watcher.members.map((m) => m.name).sort()).toEqual(['Marker', 'Watcher']);
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
    await waitFor(() => expect(names.size).toBe(30));
    expect(events).toBeLessThanOrEqual(5);
  });

  it('typing carries the whole list and expires by itself', async () => {
    const { url } = await startChat({ typingTimeoutMs: 1000 });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('t');
    const luis = await sdkClient(url, { auth: { name: 'Luis' }, typingThrottleMs: 0 }).join('t');
    const eva = await sdkClient(url, { auth: { name: 'Eva' }, typingThrottleMs: 0 }).join('t');
    const typingNow = () => ana.typingUsers.map((u) => u.name).sort();

    luis.typing();
    eva.typing();
    // Ana's and Luis's sockets hear the same events, each at its own pace: both read in one look.
    // Yourself is left out.
    await waitFor(() => expect([typingNow(), luis.typingUsers.map((u) => u.name)]).toEqual([['Eva', 'Luis'], ['Eva']]));
    await waitFor(() => expect(typingNow()).toEqual([])); // expired
  });

  // Typing would last a minute here: only the clear on send, on leave and on disconnect can empty the list.
  it('typing clears at once on send, on leave and on disconnect', async () => {
    const { url } = await startChat({ typingTimeoutMs: 60_000 });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('t');
    const luis = await sdkClient(url, { auth: { name: 'Luis' }, typingThrottleMs: 0 }).join('t');
    const evaClient = sdkClient(url, { auth: { name: 'Eva' }, typingThrottleMs: 0 });
    const eva = await evaClient.join('t');
    const typingNow = () => ana.typingUsers.map((u) => u.name).sort();

    luis.typing();
    eva.typing();
    await waitFor(() => expect(typingNow()).toEqual(['Eva', 'Luis']));
    await luis.send('done typing');
    await waitFor(() => expect(typingNow()).toEqual(['Eva']));

    luis.typing();
    await waitFor(() => expect(typingNow()).toEqual(['Eva', 'Luis']));
    await luis.leave();
    await waitFor(() => expect(typingNow()).toEqual(['Eva']));

    evaClient.close();
    await waitFor(() => expect(typingNow()).toEqual([]));
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
    await waitFor(() => expect(room.messages.map((m) => m.id)).toEqual([sent.id]));
    expect(sent.user).toEqual({ id: 'bot', name: 'Bot' });
    await room.leave();
    await waitFor(() => expect(events).toEqual(['join Ana', 'message Welcome!', 'leave Ana']));
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

  it('close() closes the store it made, never one it was given (docs/server.md: the host closes that one)', async () => {
    const made = await startChat();
    const madeClosed = vi.spyOn(made.chat.store, 'close');
    await made.chat.close();
    expect(madeClosed).toHaveBeenCalledOnce();
    const store = new MemoryStore();
    const givenClosed = vi.spyOn(store, 'close');
    const given = await startChat({ store });
    await given.chat.close();
    expect(givenClosed).not.toHaveBeenCalled();
    await store.close();
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
    await io.close();
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
