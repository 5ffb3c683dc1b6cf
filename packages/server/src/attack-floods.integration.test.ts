import { createServer } from 'node:http';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ChatError, ChatErrorData, ChatUser } from '@chat/protocol';
import { jwtAuthenticate } from './auth/jwt-authenticate.js';
import type { ErrorContext } from './server-events.js';
import { MemoryStore } from './store/memory-store.js';
import { nextEvent, rawSocket, request, sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

// Issue 14, "keep looking": floods, crash paths, tokens and access, found by attacking the
// hardened server. Each test fails on the code before its fix.

type Answer = { ok: boolean; error?: ChatErrorData };

function codes(results: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.ok ? 'ok' : (r.error?.code ?? '?');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

class CountingStore extends MemoryStore {
  getRoomCalls = 0;
  override async getRoom(id: string) {
    this.getRoomCalls++;
    return super.getRoom(id);
  }
}

describe('floods the budget did not cover', () => {
  it('finding 1: message:send to rooms one is not in costs budget (it was free and read the store every time)', async () => {
    const store = new CountingStore();
    const { url } = await startChat({ store, limits: { eventBurst: 5, eventsPerSecond: 0.001 } });
    const socket = await rawSocket(url, { name: 'Flood' });
    const before = store.getRoomCalls;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => request(socket, 'message:send', { roomId: `nowhere-${i}`, clientId: `c${i}`, text: 'x' })),
    );
    expect(codes(results as Answer[])).toEqual({ NOT_IN_ROOM: 5, RATE_LIMITED: 35 });
    expect(store.getRoomCalls - before).toBeLessThanOrEqual(5);
    // Malformed sends are no free pass either.
    expect(await request(socket, 'message:send', { roomId: 'r' } as never)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('finding 1: sends to a joined room still use only the message bucket', async () => {
    const { url } = await startChat({ limits: { eventBurst: 1, eventsPerSecond: 0.001 } });
    const socket = await rawSocket(url, { name: 'Talker' });
    expect(await request(socket, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true }); // spends the one event
    const sent = await Promise.all(
      Array.from({ length: 3 }, (_, i) => request(socket, 'message:send', { roomId: 'r', clientId: `c${i}`, text: 'hi' })),
    );
    expect(codes(sent as Answer[])).toEqual({ ok: 3 });
  });

  it('finding 2: leaving a joined room works while the user has the most requests in flight', async () => {
    let gate: Promise<void> | undefined;
    let release: () => void = () => undefined;
    class SlowStore extends MemoryStore {
      override async listMessages(...args: Parameters<MemoryStore['listMessages']>) {
        await gate;
        return super.listMessages(...args);
      }
    }
    const { url } = await startChat({ store: new SlowStore(), limits: { maxRequestsInFlightPerUser: 2 }, presenceCoalesceMs: 10 });
    const observer = await sdkClient(url, { auth: { name: 'Observer' } }).join('r');
    const ana = await rawSocket(url, { name: 'Ana' });
    expect(await request(ana, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    gate = new Promise<void>((resolve) => (release = resolve));
    const stuck = [request(ana, 'message:history', { roomId: 'r' }), request(ana, 'message:history', { roomId: 'r' })];
    expect(await request(ana, 'room:leave', { roomId: 'r' })).toEqual({ ok: true, data: {} });
    await waitFor(() => expect(observer.members.map((m) => m.name)).toEqual(['Observer']));
    release();
    await Promise.all(stuck);
  });
});

describe('crash paths: a host listener that throws', () => {
  it('finding 3: a throwing "leave" listener is reported, not an unhandled rejection that ends the process', async () => {
    const { url, chat } = await startChat();
    const reported: Array<[ChatError, ErrorContext]> = [];
    chat.on('error', (error, where) => reported.push([error, where]));
    chat.on('leave', () => {
      throw new Error('bad leave listener');
    });
    const socket = await rawSocket(url, { name: 'Ana' });
    expect(await request(socket, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    expect(await request(socket, 'room:leave', { roomId: 'r' })).toEqual({ ok: true, data: {} });
    await waitFor(() => expect(reported.map(([e, w]) => [e.code, w.event])).toEqual([['INTERNAL', 'leave']]));
  });

  it('finding 3: a throwing "join" listener leaves no ghost: the join succeeds and the error is reported', async () => {
    const { url, chat } = await startChat({ presenceCoalesceMs: 10 });
    const reported: ChatError[] = [];
    chat.on('error', (error) => reported.push(error));
    chat.on('join', ({ member }) => {
      if (member.name === 'Ana') throw new Error('bad join listener');
    });
    const observer = await sdkClient(url, { auth: { name: 'Observer' } }).join('r');
    const ana = await rawSocket(url, { name: 'Ana' });
    expect(await request(ana, 'room:join', { roomId: 'r' })).toMatchObject({ ok: true });
    const live = nextEvent(ana, 'message');
    await observer.send('hello');
    expect(await live).toMatchObject({ text: 'hello' });
    expect(reported.map((e) => e.code)).toEqual(['INTERNAL']);
  });
});

describe('sessions: what a user keeps after losing access or expiring', () => {
  const secret = 'attack-secret-attack-secret-attack-secret';
  const token = (roles: string[], seconds = 600) =>
    new SignJWT({ name: 'Ana', roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ana')
      .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
      .sign(new TextEncoder().encode(secret));

  it('finding 4: a refreshed token that loses a role takes the socket out of the rooms the role opened', async () => {
    const { url, chat } = await startChat({
      authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }),
      authorize: (action, { user, roomId }) => roomId !== 'staff' || (user.roles ?? []).includes('staff'),
    });
    const ana = await rawSocket(url, { token: await token(['staff']) });
    expect(await request(ana, 'room:join', { roomId: 'staff' })).toMatchObject({ ok: true });
    const removed = nextEvent(ana, 'room:removed');
    expect(await request(ana, 'auth:refresh', { token: await token([]) })).toMatchObject({ ok: true });
    expect(await removed).toEqual({ roomId: 'staff', reason: 'forbidden' });
    let leaked = false;
    ana.on('message', () => (leaked = true));
    await chat.sendMessage('staff', { user: { id: 'boss', name: 'Boss' }, text: 'staff only' });
    expect(await request(ana, 'message:history', { roomId: 'staff' })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(leaked).toBe(false);
  });

  it('finding 5: a user whose expiresAt has passed (or is not a date) is refused on REST and sockets alike', async () => {
    let expiresAt = new Date(Date.now() - 60_000).toISOString();
    const authenticate = (): ChatUser => ({ id: 'u1', name: 'Ana', expiresAt });
    const http = createServer();
    const { url, chat } = await startChat({ authenticate }, http);
    const rest = chat.httpHandler({ basePath: '/chat' });
    http.prependListener('request', (req, res) => {
      if (req.url?.startsWith('/chat/')) rest(req, res);
    });
    const res = await fetch(`${url}/chat/rooms`);
    expect(res.status).toBe(401);
    await expect(rawSocket(url, {})).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    // A date no one can read must not mean "never expires".
    expiresAt = 'tomorrow';
    expect((await fetch(`${url}/chat/rooms`)).status).toBe(401);
    await expect(rawSocket(url, {})).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });
});
