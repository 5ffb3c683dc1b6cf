import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ChatError, ERROR_CODES, type ErrorCode } from '@chat/protocol';
import { jwtAuthenticate } from '../../auth/jwt-authenticate.js';
import type { ChatServerOptions } from '../../options.js';
import { MemoryStore } from '../../store/memory-store.js';
import { startChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Every error the REST handler can answer with, reached with real HTTP requests against a real
// server: the status, the `{ error: { code, message } }` body, and nothing internal leaking.
// (rest-handler.integration.test.ts covers the routes themselves; this file is about failures.)

const secret = 'rest-errors-secret-rest-errors-secret';
const token = (sub: string) =>
  new SignJWT({ name: sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
const jwt = jwtAuthenticate({ secret, algorithms: ['HS256'] });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  error: { code?: string; message?: string; retryAfter?: number } | undefined;
}

/** One request over node:http, so that headers and body framing are exactly what the test says. */
function send(
  url: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | string[]; chunked?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const headers = { ...options.headers };
    const chunks = options.body === undefined ? [] : Array.isArray(options.body) ? options.body : [options.body];
    if (!options.chunked && chunks.length > 0) headers['content-length'] = String(Buffer.byteLength(chunks.join('')));
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let error: Answer['error'];
        try {
          error = (JSON.parse(text) as { error?: Answer['error'] }).error;
        } catch {
          error = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, error });
      });
    });
    req.on('error', reject);
    // Chunked: no content-length, the body arrives in pieces (a streamed upload).
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

/** An HTTP server with the REST handler mounted at /chat (with or without express.json()). */
async function restServer(options: ChatServerOptions = {}, mount: 'express-json' | 'express' | 'node' = 'express') {
  const app = express();
  const http = createServer(app);
  const started = await startChat({ authenticate: jwt, ...options }, http);
  if (mount === 'express-json') app.use('/chat', express.json(), started.chat.httpHandler());
  else app.use('/chat', started.chat.httpHandler());
  return started;
}

/** The checks every error answer must pass: its status is the code's, the body is JSON with a real sentence. */
function expectError(answer: Answer, status: number, code: ErrorCode): void {
  expect([answer.status, answer.error?.code], answer.text).toEqual([status, code]);
  expect(ERROR_CODES[code].status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/u);
  expect(answer.error?.message?.length ?? 0).toBeGreaterThan(10);
}

const json = (value: unknown) => JSON.stringify(value);

describe('REST error codes', () => {
  it('400 VALIDATION_FAILED: bad URL, bad id, bad query, not JSON, broken JSON, wrong shape', async () => {
    const { url } = await restServer();
    const auth = { authorization: `Bearer ${await token('ana')}` };
    const jsonHeaders = { ...auth, 'content-type': 'application/json' };
    await send(url, 'POST', '/chat/rooms', { headers: jsonHeaders, body: json({ id: 'r1' }) });
    const cases: Array<[string, Promise<Answer>]> = [
      ['bad percent-encoding', send(url, 'GET', '/chat/rooms/%E0%A4%A', { headers: auth })],
      ['room id with a space', send(url, 'GET', '/chat/rooms/bad%20id', { headers: auth })],
      ['list limit 0', send(url, 'GET', '/chat/rooms?limit=0', { headers: auth })],
      ['list limit not a number', send(url, 'GET', '/chat/rooms?limit=many', { headers: auth })],
      ['list limit not whole', send(url, 'GET', '/chat/rooms?limit=2.5', { headers: auth })],
      ['history limit too big', send(url, 'GET', '/chat/rooms/r1/messages?limit=1000', { headers: auth })],
      ['history before and after', send(url, 'GET', '/chat/rooms/r1/messages?before=3&after=1', { headers: auth })],
      ['history before 0', send(url, 'GET', '/chat/rooms/r1/messages?before=0', { headers: auth })],
      ['form body', send(url, 'POST', '/chat/rooms', { headers: { ...auth, 'content-type': 'text/plain' }, body: 'id=x' })],
      ['broken JSON', send(url, 'POST', '/chat/rooms', { headers: jsonHeaders, body: '{"id": ' })],
      ['JSON array', send(url, 'POST', '/chat/rooms', { headers: jsonHeaders, body: '[1,2]' })],
      ['unknown field type', send(url, 'POST', '/chat/rooms', { headers: jsonHeaders, body: json({ options: { private: 'yes' } }) })],
    ];
    for (const [name, pending] of cases) {
      const answer = await pending;
      expect(name && answer.error?.code, `${name}: ${answer.text}`).toBe('VALIDATION_FAILED');
      expectError(answer, 400, 'VALIDATION_FAILED');
    }
    // A number written another way is read as one, so the sentence says what is wrong with it.
    const sentences: Array<[string, string]> = [
      ['after=1e21', 'after must be at most 9007199254740991.'],
      ['after=2.5', 'after must be a whole number.'],
      ['after=two', 'after must be a number.'],
    ];
    for (const [query, sentence] of sentences) {
      const answer = await send(url, 'GET', `/chat/rooms/r1/messages?${query}`, { headers: auth });
      expectError(answer, 400, 'VALIDATION_FAILED');
      expect(answer.error?.message, query).toBe(sentence);
    }
  });

  it('401 UNAUTHENTICATED: no token, a forged token, and an authenticate that fails without saying why', async () => {
    const { url } = await restServer();
    expectError(await send(url, 'GET', '/chat/rooms'), 401, 'UNAUTHENTICATED');
    const forged = `${(await token('ana')).slice(0, -4)}AAAA`;
    expectError(await send(url, 'GET', '/chat/rooms', { headers: { authorization: `Bearer ${forged}` } }), 401, 'UNAUTHENTICATED');

    // A host's authenticate throwing a plain Error (its JWKS endpoint is down, say): 401, its text kept inside.
    const broken = await restServer({
      authenticate: () => {
        throw new Error('JWKS fetch https://idp.internal:8443 failed: secret=s3cr3t');
      },
    });
    const answer = await send(broken.url, 'GET', '/chat/rooms');
    expectError(answer, 401, 'UNAUTHENTICATED');
    expect(answer.text).not.toMatch(/idp\.internal|s3cr3t|JWKS/u);
  });

  it('403 FORBIDDEN: the default policy, a host authorize, and a foreign Origin', async () => {
    const { url } = await restServer({ allowedOrigins: ['https://app.example'] });
    const ana = { authorization: `Bearer ${await token('ana')}` };
    const luis = { authorization: `Bearer ${await token('luis')}` };
    const created = await send(url, 'POST', '/chat/rooms', {
      headers: { ...ana, 'content-type': 'application/json' },
      body: json({ id: 'private-1', options: { private: true } }),
    });
    expect(created.status).toBe(201);
    expectError(await send(url, 'POST', '/chat/rooms/private-1/end', { headers: luis }), 403, 'FORBIDDEN');
    expectError(await send(url, 'GET', '/chat/rooms/private-1', { headers: luis }), 403, 'FORBIDDEN');
    expectError(await send(url, 'GET', '/chat/rooms/private-1/messages', { headers: luis }), 403, 'FORBIDDEN');
    expectError(await send(url, 'GET', '/chat/rooms', { headers: { ...ana, origin: 'https://evil.example' } }), 403, 'FORBIDDEN');
    expect((await send(url, 'GET', '/chat/rooms', { headers: { ...ana, origin: 'https://app.example' } })).status).toBe(200);

    const guarded = await restServer({ authorize: (action) => action !== 'room:create' });
    const denied = await send(guarded.url, 'POST', '/chat/rooms', {
      headers: { ...ana, 'content-type': 'application/json' },
      body: json({ id: 'nope' }),
    });
    expectError(denied, 403, 'FORBIDDEN');
  });

  it('404 ROOM_NOT_FOUND: unknown rooms on every route, and unknown paths on node:http without next()', async () => {
    const { url } = await restServer();
    const auth = { authorization: `Bearer ${await token('ana')}` };
    expectError(await send(url, 'GET', '/chat/rooms/missing', { headers: auth }), 404, 'ROOM_NOT_FOUND');
    expectError(await send(url, 'GET', '/chat/rooms/missing/messages', { headers: auth }), 404, 'ROOM_NOT_FOUND');
    expectError(await send(url, 'POST', '/chat/rooms/missing/end', { headers: auth }), 404, 'ROOM_NOT_FOUND');

    const plain = createServer((req, res) => handler(req, res));
    const started = await startChat({ authenticate: jwt }, plain);
    const handler = started.chat.httpHandler({ basePath: '/api' });
    expectError(await send(started.url, 'GET', '/api/elsewhere', { headers: auth }), 404, 'ROOM_NOT_FOUND');
    expectError(await send(started.url, 'DELETE', '/api/rooms', { headers: auth }), 404, 'ROOM_NOT_FOUND');
  });

  it('409 ROOM_EXISTS for a taken id (an ended room keeps its id), and 409 ROOM_ENDED passed through from authorize', async () => {
    const { url } = await restServer();
    const headers = { authorization: `Bearer ${await token('ana')}`, 'content-type': 'application/json' };
    expect((await send(url, 'POST', '/chat/rooms', { headers, body: json({ id: 'taken' }) })).status).toBe(201);
    expectError(await send(url, 'POST', '/chat/rooms', { headers, body: json({ id: 'taken' }) }), 409, 'ROOM_EXISTS');
    expect((await send(url, 'POST', '/chat/rooms/taken/end', { headers })).status).toBe(200);
    expectError(await send(url, 'POST', '/chat/rooms', { headers, body: json({ id: 'taken' }) }), 409, 'ROOM_EXISTS');
    // Ending twice is not an error, and an ended room's history stays readable.
    expect((await send(url, 'POST', '/chat/rooms/taken/end', { headers })).status).toBe(200);
    expect((await send(url, 'GET', '/chat/rooms/taken/messages', { headers })).status).toBe(200);

    // No built-in route refuses with ROOM_ENDED (reads of ended rooms are allowed); a host's
    // authorize may, and its ChatError reaches the client with the code's own status.
    const closed = await restServer({
      authorize: (action, ctx) => {
        if (action === 'message:history' && ctx.room?.endedAt) throw new ChatError('ROOM_ENDED', 'This consultation is over.');
        return true;
      },
    });
    expect((await send(closed.url, 'POST', '/chat/rooms', { headers, body: json({ id: 'over' }) })).status).toBe(201);
    expect((await send(closed.url, 'POST', '/chat/rooms/over/end', { headers })).status).toBe(200);
    const answer = await send(closed.url, 'GET', '/chat/rooms/over/messages', { headers });
    expectError(answer, 409, 'ROOM_ENDED');
    expect(answer.error?.message).toBe('This consultation is over.');
  });

  it('413 PAYLOAD_TOO_LARGE: by content-length, by a streamed body without one, and by a body express.json() parsed', async () => {
    const limits = { maxRestBodyBytes: 1000 };
    const big = json({ title: 'x', metadata: { blob: 'y'.repeat(3000) } });
    const pieces = [big.slice(0, 900), big.slice(900, 1800), big.slice(1800)];
    const auth = { authorization: `Bearer ${await token('ana')}`, 'content-type': 'application/json' };

    // The handler reads the body itself.
    const raw = await restServer({ limits });
    expectError(await send(raw.url, 'POST', '/chat/rooms', { headers: auth, body: big }), 413, 'PAYLOAD_TOO_LARGE');
    const streamed = await send(raw.url, 'POST', '/chat/rooms', { headers: auth, body: pieces, chunked: true });
    expectError(streamed, 413, 'PAYLOAD_TOO_LARGE');
    // A small streamed body still works: the limit is on bytes, not on the framing.
    expect((await send(raw.url, 'POST', '/chat/rooms', { headers: auth, body: ['{"id":', '"ok-1"}'], chunked: true })).status).toBe(201);

    // express.json() read it first (its own limit is 100 kB): the handler measures what it parsed.
    const parsed = await restServer({ limits }, 'express-json');
    expectError(await send(parsed.url, 'POST', '/chat/rooms', { headers: auth, body: big }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await send(parsed.url, 'POST', '/chat/rooms', { headers: auth, body: pieces, chunked: true }), 413, 'PAYLOAD_TOO_LARGE');
    expect((await send(parsed.url, 'POST', '/chat/rooms', { headers: auth, body: ['{"id":', '"ok-2"}'], chunked: true })).status).toBe(201);
  });

  it('429 RATE_LIMITED with a Retry-After header in seconds and retryAfter in ms', async () => {
    // No refill during the test: at 0.5 a second, the fourth request, 2 s or more after the first, would have been let through.
    const { url } = await restServer({ limits: { eventBurst: 3, eventsPerSecond: 0.001 } });
    const headers = { authorization: `Bearer ${await token('ana')}` };
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await send(url, 'GET', '/chat/rooms', { headers }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    const limited = answers[3] as Answer;
    expectError(limited, 429, 'RATE_LIMITED');
    const retryAfterMs = limited.error?.retryAfter ?? 0;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBe(Math.ceil(retryAfterMs / 1000));
    // Another user has a bucket of their own.
    expect((await send(url, 'GET', '/chat/rooms', { headers: { authorization: `Bearer ${await token('luis')}` } })).status).toBe(200);
  });

  it("431 from node:http itself when headers exceed Node's maxHeaderSize; the server goes on serving", async () => {
    const { url } = await restServer();
    const auth = { authorization: `Bearer ${await token('ana')}` };
    // Node's default maxHeaderSize is 16 KB: it answers before any handler runs, with no body
    // and no JSON, and closes the connection.
    const answer = await send(url, 'GET', '/chat/rooms', { headers: { ...auth, 'x-padding': 'p'.repeat(20_000) } });
    expect(answer.status).toBe(431);
    expect(answer.text).toBe('');
    expect(answer.error).toBe(undefined);
    expect(answer.headers.connection).toBe('close');
    expect((await send(url, 'GET', '/chat/rooms', { headers: auth })).status).toBe(200);
  });

  it('500 INTERNAL from a failing store: a generic sentence for the client, the cause for the host', async () => {
    class BrokenStore extends MemoryStore {
      override async getRoom(): Promise<never> {
        throw new Error('connect ECONNREFUSED 10.1.2.3:5432 (user=chat password=hunter2)');
      }
      override async listRooms(): Promise<never> {
        throw new Error('relation "chat_rooms" does not exist at 10.1.2.3');
      }
    }
    const { url, chat } = await restServer({ store: new BrokenStore() });
    const reported: Array<{ error: ChatError; event: string | undefined }> = [];
    chat.on('error', (error, where) => reported.push({ error, event: where.event }));
    const headers = { authorization: `Bearer ${await token('ana')}` };
    for (const path of ['/chat/rooms/r1', '/chat/rooms/r1/messages', '/chat/rooms']) {
      const answer = await send(url, 'GET', path, { headers });
      expectError(answer, 500, 'INTERNAL');
      expect(answer.text).not.toMatch(/ECONNREFUSED|hunter2|10\.1\.2\.3|chat_rooms|relation/u);
    }
    expect(reported.map((r) => [r.error.code, r.event])).toEqual([
      ['INTERNAL', 'GET /rooms/r1'],
      ['INTERNAL', 'GET /rooms/r1/messages'],
      ['INTERNAL', 'GET /rooms'],
    ]);
    expect(String((reported[0]?.error.cause as Error).message)).toContain('ECONNREFUSED');
  });

  it('a client that goes away mid-body is not taken for the storage failing: nothing is reported', async () => {
    const app = express();
    let arrived: IncomingMessage | undefined;
    const statuses: number[] = [];
    const http = createServer((req, res) => {
      arrived = req;
      // What the handler answers (to nobody: the client is gone), once it has decided what to say.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        statuses.push(res.statusCode);
        return end(...args);
      }) as typeof res.end;
      app(req, res);
    });
    const { url, chat } = await startChat({ authenticate: jwt }, http);
    app.use('/chat', chat.httpHandler());
    const reported: ChatError[] = [];
    chat.on('error', (error) => reported.push(error));
    const { hostname, port } = new URL(url);
    const headers = { authorization: `Bearer ${await token('ana')}`, 'content-type': 'application/json', 'content-length': '100' };
    const req = httpRequest({ hostname, port, method: 'POST', path: '/chat/rooms', headers });
    req.on('error', () => undefined);
    req.write('{"id":"cut');
    // The handler reads the body (its reader listens for data) and waits for the rest: cut it off.
    await waitFor(() => expect(arrived?.readableFlowing).toBe(false));
    req.destroy();
    await waitFor(() => expect(statuses).toEqual([400]));
    expect(reported).toEqual([]);
  });
});
