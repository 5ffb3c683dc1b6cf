import { createServer } from 'node:http';
import express from 'express';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ChatErrorData, Message, Room } from '@chat/protocol';
import { jwtAuthenticate } from '../../auth/jwt-authenticate.js';
import type { ChatServerOptions } from '../../options.js';
import { sdkClient, startChat } from '../../../../../test-support/servers.js';

/** A REST answer as these tests read it (each route's field, or `error`): unchecked, the expectations check it. */
interface Answer {
  room: Room;
  rooms: Room[];
  messages: Message[];
  hasMore: boolean;
  error: ChatErrorData;
}

const secret = 'rest-test-secret-rest-test-secret!!';
const token = (sub: string, name = sub) =>
  new SignJWT({ name })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));

async function expressChat(options: ChatServerOptions = {}, json = true) {
  const app = express();
  const http = createServer(app);
  const started = await startChat({ authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }), ...options }, http);
  if (json) app.use('/chat', express.json(), started.chat.httpHandler());
  else app.use('/chat', started.chat.httpHandler());
  app.use((_req, res) => res.status(404).send('host 404'));
  const call = async (method: string, path: string, init: { token?: string; body?: unknown; raw?: string; type?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (init.token) headers['authorization'] = `Bearer ${init.token}`;
    if (init.body !== undefined || init.raw !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const res = await fetch(`${started.url}/chat${path}`, {
      method,
      headers,
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: the host's own response */
    }
    return { status: res.status, body: body as Answer, headers: res.headers };
  };
  return { ...started, call };
}

describe('REST handler', () => {
  it('creates, reads, lists, pages history and ends rooms; same data as the socket acks', async () => {
    const { call, url, chat } = await expressChat();
    const host = await token('host-1', 'Dra. Ruiz');
    const created = await call('POST', '/rooms', { token: host, body: { id: 'cita-42', title: 'Consulta', metadata: { patient: 7 } } });
    expect(created.status).toBe(201);
    expect(created.body.room).toMatchObject({ id: 'cita-42', title: 'Consulta', createdBy: 'host-1', metadata: { patient: 7 } });
    const generated = await call('POST', '/rooms', { token: host, body: {} });
    expect(generated.status).toBe(201);
    expect(generated.body.room.id).toMatch(/^[0-9a-f-]{36}$/u);

    expect((await call('GET', '/rooms/cita-42', { token: host })).body).toEqual({ room: created.body.room });
    const list = await call('GET', '/rooms', { token: host });
    expect(list.body.rooms.map((r: { id: string }) => r.id).sort()).toEqual(['cita-42', generated.body.room.id].sort());

    const room = await sdkClient(url, { auth: { token: host } }).join('cita-42');
    for (let i = 1; i <= 5; i++) await room.send(`m${i}`);
    const page = await call('GET', '/rooms/cita-42/messages?before=5&limit=2', { token: host });
    expect(page.status).toBe(200);
    expect([page.body.messages.map((m: { seq: number }) => m.seq), page.body.hasMore]).toEqual([[3, 4], true]);
    expect(page.body.messages[0]).toEqual(room.messages[2]);
    const after = await call('GET', '/rooms/cita-42/messages?after=3', { token: host });
    expect(after.body.messages.map((m: { seq: number }) => m.seq)).toEqual([4, 5]);

    const endedEvent = new Promise((resolve) => room.once('ended', resolve));
    const ended = await call('POST', '/rooms/cita-42/end', { token: host });
    expect(ended.status).toBe(200);
    expect(ended.body.room.endedAt).toBeDefined();
    await endedEvent;
    expect((await call('GET', '/rooms', { token: host })).body.rooms.map((r: { id: string }) => r.id)).toEqual([generated.body.room.id]);
    expect((await call('GET', '/rooms?includeEnded=true', { token: host })).body.rooms).toHaveLength(2);
    expect((await call('GET', '/rooms/cita-42/messages', { token: host })).body.messages).toHaveLength(5);
    expect(await chat.getRoom('cita-42')).toMatchObject({ endedAt: ended.body.room.endedAt });
  });

  it('lists only the rooms the caller may read (private rooms for their creator)', async () => {
    const { call } = await expressChat();
    const ana = await token('ana');
    const luis = await token('luis');
    expect((await call('POST', '/rooms', { token: ana, body: { id: 'open' } })).status).toBe(201);
    expect((await call('POST', '/rooms', { token: ana, body: { id: 'anas-secret', options: { private: true } } })).status).toBe(201);
    const ids = async (t: string) => (await call('GET', '/rooms', { token: t })).body.rooms.map((r: { id: string }) => r.id).sort();
    expect(await ids(ana)).toEqual(['anas-secret', 'open']);
    expect(await ids(luis)).toEqual(['open']);
    expect((await call('GET', '/rooms/anas-secret', { token: luis })).status).toBe(403);
  });

  it('answers bad input with { error: { code, message } } and a fitting status', async () => {
    const { call } = await expressChat({ limits: { maxRestBodyBytes: 2000, eventBurst: 40, eventsPerSecond: 1 } });
    const ana = await token('ana');
    const luis = await token('luis');
    await call('POST', '/rooms', { token: ana, body: { id: 'r1' } });
    const cases: Array<[string, Promise<{ status: number; body: Answer }>, number, string]> = [
      ['no token', call('GET', '/rooms'), 401, 'UNAUTHENTICATED'],
      ['bad token', call('GET', '/rooms', { token: 'x.y.z' }), 401, 'UNAUTHENTICATED'],
      ['not the creator ends', call('POST', '/rooms/r1/end', { token: luis }), 403, 'FORBIDDEN'],
      ['unknown room', call('GET', '/rooms/nope', { token: ana }), 404, 'ROOM_NOT_FOUND'],
      ['unknown room history', call('GET', '/rooms/nope/messages', { token: ana }), 404, 'ROOM_NOT_FOUND'],
      ['bad room id', call('GET', '/rooms/bad%20id', { token: ana }), 400, 'VALIDATION_FAILED'],
      ['bad percent-encoding', call('GET', '/rooms/%E0%A4%A', { token: ana }), 400, 'VALIDATION_FAILED'],
      ['existing id', call('POST', '/rooms', { token: ana, body: { id: 'r1' } }), 409, 'ROOM_EXISTS'],
      ['body not an object', call('POST', '/rooms', { token: ana, body: [1, 2] }), 400, 'VALIDATION_FAILED'],
      ['options wrong type', call('POST', '/rooms', { token: ana, body: { options: { private: 'yes' } } }), 400, 'VALIDATION_FAILED'],
      [
        'big body',
        call('POST', '/rooms', { token: ana, body: { title: 'x', metadata: { blob: 'x'.repeat(5000) } } }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['limit too big', call('GET', '/rooms/r1/messages?limit=1000', { token: ana }), 400, 'VALIDATION_FAILED'],
      ['limit not a number', call('GET', '/rooms/r1/messages?limit=ten', { token: ana }), 400, 'VALIDATION_FAILED'],
      ['before and after', call('GET', '/rooms/r1/messages?before=3&after=1', { token: ana }), 400, 'VALIDATION_FAILED'],
      ['list limit', call('GET', '/rooms?limit=0', { token: ana }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [name, pending, status, code] of cases) {
      const res = await pending;
      expect([name, res.status, res.body.error?.code]).toEqual([name, status, code]);
      expect(res.body.error.message.length, name).toBeGreaterThan(8);
    }
    // Rate limit: the bucket (40, 1/s) is spent by now or soon.
    let limited: { status: number; body: Answer; headers: Headers } | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await call('GET', '/rooms', { token: luis });
      if (res.status === 429) limited = res;
    }
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nothing stored changed.
    expect((await call('GET', '/rooms/r1', { token: ana })).body.room).toMatchObject({ id: 'r1', createdBy: 'ana' });
  });

  it('reads the body itself without express.json(), and refuses non-JSON and broken JSON', async () => {
    const { call } = await expressChat({ limits: { maxRestBodyBytes: 100 } }, false);
    const ana = await token('ana');
    expect((await call('POST', '/rooms', { token: ana, body: { id: 'raw' } })).status).toBe(201);
    expect((await call('POST', '/rooms', { token: ana, raw: '{"id": ', type: 'application/json' })).body.error.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await call('POST', '/rooms', { token: ana, raw: 'id=x', type: 'application/x-www-form-urlencoded' })).body.error.message,
    ).toContain('JSON');
    const big = await call('POST', '/rooms', { token: ana, raw: JSON.stringify({ title: 'x'.repeat(500) }) });
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('unknown routes and methods fall through to the host app', async () => {
    const { call } = await expressChat();
    const ana = await token('ana');
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['DELETE', '/rooms'],
      ['GET', '/rooms/a/b/c'],
      ['PUT', '/rooms/x/end'],
    ] as const) {
      const res = await call(method, path, { token: ana });
      expect([method, path, res.status, res.body]).toEqual([method, path, 404, 'host 404']);
    }
  });

  it('works on plain node:http with basePath, and without next() answers 404 itself', async () => {
    const http = createServer((req, res) => {
      if (req.url?.startsWith('/api/chat')) return handler(req, res);
      res.end('host');
    });
    const { url, chat } = await startChat({ authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }) }, http);
    const handler = chat.httpHandler({ basePath: '/api/chat' });
    const headers = { authorization: `Bearer ${await token('ana')}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/api/chat/rooms`, { method: 'POST', headers, body: JSON.stringify({ id: 'plain' }) });
    expect(created.status).toBe(201);
    const missing = await fetch(`${url}/api/chat/elsewhere`, { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'ROOM_NOT_FOUND' } });
    expect(await (await fetch(`${url}/other`)).text()).toBe('host');
  });
});
