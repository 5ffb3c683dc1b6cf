import { describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import type { ChatErrorData } from '@chat/protocol';
import { ChatError } from '@chat/protocol';
import { nextEvent, rawSocket, request, sdkClient, startChat, track, type RawSocket } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { Gate } from '../../../test-support/gate.js';

function refusal(url: string, auth: Record<string, unknown>): Promise<Error & { data?: ChatErrorData }> {
  const socket = ioClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  track(() => void socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, expected a refusal')));
    socket.once('connect_error', resolve);
  });
}

async function joined(url: string, roomId: string, name?: string, auth?: Record<string, unknown>): Promise<RawSocket> {
  const socket = await rawSocket(url, auth ?? (name === undefined ? undefined : { name }));
  const res = await request(socket, 'room:join', { roomId });
  expect(res.ok).toBe(true);
  return socket;
}

describe('every error code reaches the client with a sentence', () => {
  it('UNAUTHENTICATED: a guest without a name, or with a bad one, is refused at connect', async () => {
    const { url } = await startChat();
    const noName = await refusal(url, {});
    expect(noName.data).toEqual({ code: 'UNAUTHENTICATED', lang: 'en', message: 'Please give a name to join as a guest.' });
    const long = await refusal(url, { name: 'x'.repeat(65) });
    expect(long.data?.code).toBe('UNAUTHENTICATED');
    expect(long.data?.message).toContain('64');
    const blank = await refusal(url, { name: '   ' });
    expect(blank.data?.code).toBe('UNAUTHENTICATED');
    const notString = await refusal(url, { name: { $gt: '' } });
    expect(notString.data?.code).toBe('UNAUTHENTICATED');
  });

  it('UNAUTHENTICATED: a guestKey that breaks the rule is refused, not swapped for a new identity', async () => {
    const { url } = await startChat();
    // Each of these used to connect as a new random guest every time: the client believed it
    // kept one identity across reconnects and never did.
    for (const guestKey of ['short', `${'k'.repeat(15)}!`, 'k'.repeat(129), '', 42, { key: 'k'.repeat(20) }]) {
      const refused = await refusal(url, { name: 'Ana', guestKey });
      expect(refused.data?.code).toBe('UNAUTHENTICATED');
      expect(refused.data?.message).toBe('guestKey must be 16 to 128 characters of A-Z, a-z, 0-9, _ and -.');
    }
    // Absent (or null) is still a new guest each time; a good key is one guest across connections.
    const one = await rawSocket(url, { name: 'Ana', guestKey: null });
    const joinedOne = await request(one, 'room:join', { roomId: 'keys' });
    const good = { name: 'Bea', guestKey: 'k'.repeat(16) };
    const tab1 = await rawSocket(url, good);
    const tab2 = await rawSocket(url, good);
    const first = await request(tab1, 'room:join', { roomId: 'keys' });
    const second = await request(tab2, 'room:join', { roomId: 'keys' });
    expect(joinedOne.ok && first.ok && second.ok).toBe(true);
    expect(first.ok && second.ok && first.data.self.id === second.data.self.id).toBe(true);
  });

  it('UNAUTHENTICATED from a custom authenticate that throws anything: no internals leak', async () => {
    const { url, chat } = await startChat({
      authenticate: () => {
        throw new Error('db password wrong');
      },
    });
    chat.on('error', () => undefined);
    const error = await refusal(url, { token: 'x' });
    expect(error.data?.code).toBe('UNAUTHENTICATED');
    expect(error.data?.message).not.toContain('password');
  });

  it('UNAUTHENTICATED surfaces on the SDK as an error event and a disconnected state', async () => {
    const { url } = await startChat({
      authenticate: () => {
        throw new ChatError('UNAUTHENTICATED', 'Your session expired.');
      },
    });
    const client = sdkClient(url, { auth: { token: 'old' } });
    const error = await new Promise<ChatError>((resolve) => client.once('error', resolve));
    expect([error.code, error.message, client.state]).toEqual(['UNAUTHENTICATED', 'Your session expired.', 'disconnected']);
    await expect(client.join('r')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('FORBIDDEN: authorize says no, and the rooms-per-socket limit', async () => {
    const { url } = await startChat({
      authorize: (action, ctx) =>
        !(action === 'room:join' && ctx.roomId === 'staff') && !(action === 'message:send' && ctx.user.name === 'Mute'),
      limits: { maxRoomsPerSocket: 2 },
    });
    const socket = await rawSocket(url);
    expect(await request(socket, 'room:join', { roomId: 'staff' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await request(socket, 'room:join', { roomId: 'a' });
    await request(socket, 'room:join', { roomId: 'b' });
    const third = await request(socket, 'room:join', { roomId: 'c' });
    expect(third).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', lang: 'en', message: expect.stringContaining('at most 2 rooms') },
    });
    const mute = await joined(url, 'a', 'Mute');
    expect(await request(mute, 'message:send', { roomId: 'a', clientId: 'm1', text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('FORBIDDEN: authorize is asked before history and before typing', async () => {
    const asked: string[] = [];
    const { url } = await startChat({
      authorize: (action, ctx) => {
        asked.push(`${action} ${ctx.user.name}`);
        return ctx.user.name !== 'Lurker' || action === 'room:join';
      },
    });
    const lurker = await joined(url, 'r', 'Lurker');
    const member = await joined(url, 'r', 'Member');
    expect(await request(lurker, 'message:history', { roomId: 'r' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(lurker, 'typing', { roomId: 'r', typing: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(member, 'message:history', { roomId: 'r' })).toMatchObject({ ok: true });
    expect(await request(member, 'typing', { roomId: 'r', typing: true })).toMatchObject({ ok: true });
    expect(asked).toEqual([
      'room:join Lurker',
      'room:join Member',
      'message:history Lurker',
      'typing Lurker',
      'message:history Member',
      'typing Member',
    ]);
  });

  it('VALIDATION_FAILED and PAYLOAD_TOO_LARGE name what is wrong', async () => {
    const { url } = await startChat({ limits: { maxTextLength: 10, maxAttachments: 1 } });
    const socket = await joined(url, 'r');
    const tooLong = await request(socket, 'message:send', { roomId: 'r', clientId: 'a', text: 'x'.repeat(11) });
    expect(tooLong).toEqual({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE', lang: 'en', message: 'Messages can be at most 10 characters long.' },
    });
    const att = { url: 'https://x.example/a.png', type: 'image/png' };
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'b', text: '', attachments: [att, att] })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    const js = await request(socket, 'message:send', {
      roomId: 'r',
      clientId: 'c',
      text: 'x',
      attachments: [{ url: 'javascript:alert(1)', type: 'text/html' }],
    });
    expect(js).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', lang: 'en', message: 'Attachment URLs must start with http:// or https://.' },
    });
    const ok = await request(socket, 'message:send', { roomId: 'r', clientId: 'd', text: '', attachments: [att] });
    expect(ok.ok).toBe(true);
  });

  it('RATE_LIMITED with retryAfter, per user; a flooder does not slow the others', async () => {
    const { url } = await startChat({ limits: { messageBurst: 3, messagesPerSecond: 1 } });
    const flooder = await joined(url, 'r', 'Flood');
    const calm = await joined(url, 'r', 'Calm');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => request(flooder, 'message:send', { roomId: 'r', clientId: `f${i}`, text: 'spam' })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const limited = results.find((r) => !r.ok);
    expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    expect(limited?.ok === false && limited.error.retryAfter).toBeGreaterThan(0);
    expect(await request(calm, 'message:send', { roomId: 'r', clientId: 'c1', text: 'hello' })).toMatchObject({ ok: true });
  });

  it('RATE_LIMITED is not reset by reconnecting', async () => {
    // No refill during the test: at 0.5 a second, a reconnect slower than 2 s would have been let through.
    const { url } = await startChat({ limits: { messageBurst: 2, messagesPerSecond: 0.001 } });
    const auth = { name: 'Flood', guestKey: 'flood-guest-key-0123456789' };
    const first = await joined(url, 'r', undefined, auth);
    for (const id of ['a', 'b'])
      expect(await request(first, 'message:send', { roomId: 'r', clientId: id, text: 'x' })).toMatchObject({ ok: true });
    first.disconnect();
    const again = await joined(url, 'r', undefined, auth);
    expect(await request(again, 'message:send', { roomId: 'r', clientId: 'c', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
  });

  it('the SDK waits out RATE_LIMITED and delivers every message in order', async () => {
    const { url } = await startChat({ limits: { messageBurst: 2, messagesPerSecond: 20 } });
    const room = await sdkClient(url).join('r');
    const sent = await Promise.all(Array.from({ length: 6 }, (_, i) => room.send(`m${i}`)));
    expect(sent.map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ROOM_NOT_FOUND when rooms must exist first; ROOM_ENDED for an ended room', async () => {
    const { url, chat } = await startChat({ createRoomsOnJoin: false });
    const socket = await rawSocket(url);
    expect(await request(socket, 'room:join', { roomId: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    await chat.store.createRoom({ id: 'over' });
    await chat.store.updateRoom('over', { endedAt: new Date().toISOString() });
    expect(await request(socket, 'room:join', { roomId: 'over' })).toMatchObject({ ok: false, error: { code: 'ROOM_ENDED' } });
  });

  it('NOT_IN_ROOM; a second join of a joined room answers again instead of ALREADY_IN_ROOM (joins are idempotent)', async () => {
    const { url } = await startChat();
    const socket = await rawSocket(url);
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'a', text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(await request(socket, 'room:leave', { roomId: 'r' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await request(socket, 'message:history', { roomId: 'r' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(await request(socket, 'typing', { roomId: 'r', typing: true })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    const first = await request(socket, 'room:join', { roomId: 'r' });
    const again = await request(socket, 'room:join', { roomId: 'r' });
    expect(again).toMatchObject({ ok: true, data: { self: first.ok ? first.data.self : 'first join failed' } });
    expect(again.ok && again.data.members.length).toBe(1);
  });

  it('a join retried after TIMEOUT gets the answer of the join under way: no ghost, one member', async () => {
    const { MemoryStore } = await import('./store/memory-store.js');
    // The first read of the room stalls until the server has answered the join with TIMEOUT.
    const stall = new Gate();
    stall.close();
    let slow = 1;
    class SlowStore extends MemoryStore {
      override async getRoom(id: string) {
        if (slow-- > 0) await stall.wait();
        return super.getRoom(id);
      }
    }
    const { url, chat } = await startChat({ store: new SlowStore(), requestTimeoutMs: 200 });
    chat.on('error', (error) => {
      if (/not answered/u.test(error.message)) stall.open();
    });
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    const room = await client.join('slow'); // TIMEOUT first; the SDK asks again and gets the answer
    expect(room.state).toBe('joined');
    expect(room.members.map((m) => m.name)).toEqual(['Ana']);
    const observer = await rawSocket(url, { name: 'Obs' });
    const seen = await request(observer, 'room:join', { roomId: 'slow' });
    expect(seen.ok && seen.data.members.map((m) => m.name).sort()).toEqual(['Ana', 'Obs']);
    await room.leave();
    const after = await request(observer, 'message:history', { roomId: 'slow' });
    expect(after.ok).toBe(true);
  });

  it('NAME_TAKEN within a room, case-insensitively; the name is free again after leaving', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 5 });
    const ana = await joined(url, 'r', 'Ana');
    const other = await rawSocket(url, { name: 'ANA ' });
    const res = await request(other, 'room:join', { roomId: 'r' });
    expect(res).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN', lang: 'en', message: expect.stringContaining('already called') } });
    expect(await request(other, 'room:join', { roomId: 'elsewhere' })).toMatchObject({ ok: true });
    await request(ana, 'room:leave', { roomId: 'r' });
    expect(await request(other, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
  });

  it('MESSAGE_NOT_FOUND for a reply to a message that is not in the room', async () => {
    const { url } = await startChat();
    const socket = await joined(url, 'r');
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'a', text: 'hi', replyTo: 'no-such-id' })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_NOT_FOUND' },
    });
  });

  it('beforeMessage can rewrite or refuse, and cannot bypass the limits', async () => {
    const { url } = await startChat({
      limits: { maxTextLength: 20 },
      beforeMessage: (draft) => {
        if (draft.text.includes('spam')) throw new ChatError('FORBIDDEN', 'No spam here.');
        if (draft.text.includes('compra')) throw new ChatError('FORBIDDEN', 'Aquí no se vende.', { lang: 'es' });
        if (draft.text === 'grow') return { ...draft, text: 'x'.repeat(100) };
        return { ...draft, text: draft.text.replace(/darn/gu, '****') };
      },
    });
    const socket = await joined(url, 'r');
    const clean = await request(socket, 'message:send', { roomId: 'r', clientId: 'a', text: 'oh darn' });
    expect(clean).toMatchObject({ ok: true, data: { message: { text: 'oh ****' } } });
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'b', text: 'buy spam' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'No spam here.' }, // the hook's words: no lang
    });
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'd', text: 'compra ya' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Aquí no se vende.', lang: 'es' }, // the language the hook gave
    });
    expect(await request(socket, 'message:send', { roomId: 'r', clientId: 'c', text: 'grow' })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
  });

  it('TIMEOUT (outcome unknown, safe to resend) when a request is not answered in time (a hung store)', async () => {
    const { MemoryStore } = await import('./store/memory-store.js');
    class HungStore extends MemoryStore {
      override listMessages(): Promise<never> {
        return new Promise(() => undefined);
      }
    }
    const { url, chat } = await startChat({ store: new HungStore(), requestTimeoutMs: 200 });
    const errors: string[] = [];
    chat.on('error', (e) => errors.push(e.message));
    const socket = await rawSocket(url);
    const res = await request(socket, 'room:join', { roomId: 'r' });
    expect(res).toEqual({
      ok: false,
      error: {
        code: 'TIMEOUT',
        lang: 'en',
        message: 'The server took too long to answer; this may still go through. Sending it again is safe.',
      },
    });
    expect(errors[0]).toContain('not answered');
  });
});

describe('bad input never crashes, hangs or changes what is stored', () => {
  const big = 'x'.repeat(5000);
  const table: Array<[string, string, unknown, string]> = [
    ['payload is a string', 'room:join', 'room-1', 'VALIDATION_FAILED'],
    ['payload is null', 'room:join', null, 'VALIDATION_FAILED'],
    ['payload is a number', 'message:send', 42, 'VALIDATION_FAILED'],
    ['payload is an array', 'message:history', ['bad'], 'VALIDATION_FAILED'],
    ['roomId missing', 'room:join', {}, 'VALIDATION_FAILED'],
    ['roomId a number', 'room:join', { roomId: 7 }, 'VALIDATION_FAILED'],
    ['roomId empty', 'room:join', { roomId: '' }, 'VALIDATION_FAILED'],
    ['roomId with slashes', 'room:join', { roomId: '../etc/passwd' }, 'VALIDATION_FAILED'],
    ['roomId too long', 'room:join', { roomId: 'r'.repeat(200) }, 'VALIDATION_FAILED'],
    ['since negative', 'room:join', { roomId: 'bad', since: -1 }, 'VALIDATION_FAILED'],
    ['since a string', 'room:join', { roomId: 'bad', since: '5' }, 'VALIDATION_FAILED'],
    ['text missing', 'message:send', { roomId: 'bad', clientId: 'a' }, 'VALIDATION_FAILED'],
    ['text empty', 'message:send', { roomId: 'bad', clientId: 'a', text: '' }, 'VALIDATION_FAILED'],
    ['text only spaces', 'message:send', { roomId: 'bad', clientId: 'a', text: '   \n ' }, 'VALIDATION_FAILED'],
    ['text an object', 'message:send', { roomId: 'bad', clientId: 'a', text: { toString: 1 } }, 'VALIDATION_FAILED'],
    ['text oversized', 'message:send', { roomId: 'bad', clientId: 'a', text: big }, 'PAYLOAD_TOO_LARGE'],
    ['clientId missing', 'message:send', { roomId: 'bad', text: 'hi' }, 'VALIDATION_FAILED'],
    ['attachments not a list', 'message:send', { roomId: 'bad', clientId: 'a', text: 'hi', attachments: 'x' }, 'VALIDATION_FAILED'],
    [
      'attachment without type',
      'message:send',
      { roomId: 'bad', clientId: 'a', text: 'hi', attachments: [{ url: 'https://a.b/c' }] },
      'VALIDATION_FAILED',
    ],
    [
      'attachment data: url',
      'message:send',
      { roomId: 'bad', clientId: 'a', text: 'hi', attachments: [{ url: 'data:text/html,x', type: 'text/html' }] },
      'VALIDATION_FAILED',
    ],
    [
      'attachment negative size',
      'message:send',
      { roomId: 'bad', clientId: 'a', text: 'hi', attachments: [{ url: 'https://a.b/c', type: 'image/png', size: -1 }] },
      'VALIDATION_FAILED',
    ],
    ['history limit too big', 'message:history', { roomId: 'bad', limit: 1000 }, 'VALIDATION_FAILED'],
    ['history limit zero', 'message:history', { roomId: 'bad', limit: 0 }, 'VALIDATION_FAILED'],
    ['history before and after', 'message:history', { roomId: 'bad', before: 5, after: 1 }, 'VALIDATION_FAILED'],
    ['history before a float', 'message:history', { roomId: 'bad', before: 1.5 }, 'VALIDATION_FAILED'],
    ['typing not boolean', 'typing', { roomId: 'bad', typing: 'yes' }, 'VALIDATION_FAILED'],
    ['leave without roomId', 'room:leave', {}, 'VALIDATION_FAILED'],
    ['unknown event', 'room:destroy', { roomId: 'bad' }, 'VALIDATION_FAILED'],
    ['prototype pollution', 'room:join', JSON.parse('{"__proto__":{"polluted":true},"roomId":5}'), 'VALIDATION_FAILED'],
  ];

  it.each(table)('%s -> %s gets %s in the ack', async (_name, event, payload, code) => {
    const { url } = await startChat();
    const socket = await rawSocket(url);
    const ack = await (
      socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: ChatErrorData }> }
    ).emitWithAck(event, payload);
    expect(ack.ok).toBe(false);
    expect(ack.error?.code).toBe(code);
    expect(ack.error?.message).toMatch(/^[A-Z"a-z].{5,}/u);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('the whole table in one session: stored history unchanged, and the server still serves a new client', async () => {
    const { url, chat } = await startChat();
    const keeper = await joined(url, 'bad', 'Keeper');
    const stored = await request(keeper, 'message:send', { roomId: 'bad', clientId: 'keep-1', text: 'keep me' });
    const attacker = await joined(url, 'bad', 'Attacker');
    const errors: unknown[] = [];
    chat.on('error', (e) => errors.push(e));
    const emitter = attacker.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean }> };
    for (const [, event, payload] of table) expect((await emitter.emitWithAck(event, payload)).ok).toBe(false);

    // No ack callback: nothing to answer, so the server says so with a chat:error event.
    const noAck = nextEvent(attacker, 'chat:error');
    (attacker as unknown as { emit(e: string, p: unknown): void }).emit('message:send', { roomId: 'bad', clientId: 'z', text: 'no ack' });
    expect(await noAck).toMatchObject({ event: 'message:send', error: { code: 'VALIDATION_FAILED' } });
    const unknownNoAck = nextEvent(attacker, 'chat:error');
    (attacker as unknown as { emit(e: string, ...p: unknown[]): void }).emit('whatever', 1, 2, 3);
    expect(await unknownNoAck).toMatchObject({ event: 'whatever', error: { code: 'VALIDATION_FAILED' } });

    expect(errors).toEqual([]);
    const history = await request(keeper, 'message:history', { roomId: 'bad' });
    expect(history).toEqual({ ok: true, data: { messages: [stored.ok && stored.data.message], hasMore: false } });
    const fresh = await sdkClient(url).join('bad');
    expect(fresh.messages.map((m) => m.text)).toEqual(['keep me']);
  });

  it('a packet over maxHttpBufferSize closes only that connection', async () => {
    const { url } = await startChat({ limits: { maxHttpBufferSize: 1000, maxTextLength: 100_000 } });
    const big = await joined(url, 'r');
    const closed = new Promise((resolve) => big.once('disconnect', resolve));
    big.emit('message:send', { roomId: 'r', clientId: 'huge', text: 'x'.repeat(5000) }, () => undefined);
    await closed;
    const other = await sdkClient(url).join('r');
    await waitFor(() => expect(other.state).toBe('joined'));
    expect(other.messages).toEqual([]);
  });
});
