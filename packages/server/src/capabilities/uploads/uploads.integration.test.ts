import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtAuthenticate } from '../../auth/jwt-authenticate.js';
import type { ChatServerOptions } from '../../options.js';
import { createChatServer } from '../../chat-server.js';
import { rawSocket, startChat, track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { ChatError, type Attachment, type ChatErrorData } from '@chat/protocol';
import type { UploadTarget } from './chat-uploads.js';
import type { StoredMeta } from './serve-upload.js';
import { diskUploads, type DiskUploadsOptions } from './disk-uploads.js';
import { GIF, HTML_AS_PNG, JPEG, PDF, PNG, SVG, TEXT, WEBP } from './upload-fixtures.js';

const secret = 'uploads-test-secret-uploads-test!!';
const token = (sub: string) =>
  new SignJWT({ name: sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));

/** An uploads route's answer as these tests read it (`upload`, `attachment` or `error`): unchecked, the expectations check it. */
interface Answer {
  upload: UploadTarget;
  attachment: Attachment;
  error: ChatErrorData;
}

/** A chat server with disk uploads in a fresh folder, its REST handler mounted at /chat of an Express app. */
async function uploadsChat(disk: Partial<DiskUploadsOptions> = {}, options: ChatServerOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'chat-uploads-'));
  track(() => rm(dir, { recursive: true, force: true }));
  const app = express();
  const http = createServer(app);
  const started = await startChat(
    { authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }), uploads: diskUploads({ dir, ...disk }), ...options },
    http,
  );
  await started.chat.ready();
  app.use('/chat', started.chat.httpHandler());
  app.use((_req, res) => res.status(404).send('host 404'));
  const base = `${started.url}/chat`;
  return { ...started, dir, base };
}

async function json(res: Response): Promise<{ status: number; body: Answer; headers: Headers }> {
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Answer, headers: res.headers };
}

/** Step 1: say what will be sent. */
function ask(base: string, auth: Record<string, string>, file: Record<string, unknown>) {
  return fetch(`${base}/uploads`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(file),
  }).then(json);
}

/** Step 2: the file, as the only field of a multipart form. */
function sendFile(
  url: string,
  auth: Record<string, string>,
  file: { name: string; bytes: Uint8Array<ArrayBuffer> },
  partType = 'application/octet-stream',
) {
  const form = new FormData();
  form.append('file', new Blob([file.bytes], { type: partType }), file.name);
  return fetch(url, { method: 'POST', headers: auth, body: form }).then(json);
}

const bearer = async (sub: string) => ({ authorization: `Bearer ${await token(sub)}` });
// The stored files (the folder of markers of files not sent yet aside).
const files = async (dir: string) =>
  (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();

/** A multipart upload written by hand, so that a test decides when (and whether) it ends. */
function rawUpload(base: string, auth: Record<string, string>, name: string) {
  const boundary = 'chat-test-boundary';
  const url = new URL(`${base}/uploads`);
  // No Content-Length: the body is chunked, so the server cannot know its size in advance.
  const req: ClientRequest = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const response = new Promise<{ status: number; body: Answer; endedBefore: boolean }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      const endedBefore = req.writableEnded;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer, endedBefore }),
      );
    });
    req.on('error', reject);
  });
  response.catch(() => undefined);
  req.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  req.write(PNG.bytes);
  return { req, response, end: () => req.end(`\r\n--${boundary}--\r\n`) };
}

describe('uploads (diskUploads)', () => {
  it('finding: a banned user uploads nothing for the room, and a file is offered under a name with its stored type (issue 30, 2g)', async () => {
    const { base, chat } = await uploadsChat({ types: ['image/png', 'text/plain'] });
    const room = await chat.createRoom({ id: `files-${Date.now()}`, createdBy: 'host' });
    await chat.ban(room.id, 'eve');
    const eve = await bearer('eve');
    expect(await ask(base, eve, { name: PNG.name, type: PNG.type, size: PNG.bytes.length, roomId: room.id })).toMatchObject({
      status: 403,
      body: { error: { code: 'BANNED' } },
    });
    const ana = await bearer('ana');
    for (const [name, saved] of [
      ['page.html', 'page.html.txt'],
      ['run.hta', 'run.hta.txt'],
      ['notes.TXT', 'notes.TXT'],
    ] as const) {
      const step1 = await ask(base, ana, { name, type: 'text/plain', size: TEXT.bytes.length, roomId: room.id });
      const stored = await sendFile(new URL(step1.body.upload.url, base).href, ana, { name, bytes: TEXT.bytes });
      expect(stored.status, JSON.stringify(stored.body)).toBe(201);
      expect(stored.body.attachment.name).toBe(name); // what the room shows is what was sent
      const served = await fetch(stored.body.attachment.url);
      expect(served.headers.get('content-disposition')).toBe(`attachment; filename="${saved}"; filename*=UTF-8''${saved}`);
    }
  });

  it('takes each allowed type, found from content, and serves it back with safe headers', async () => {
    const { base, url, dir } = await uploadsChat({
      types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'],
    });
    const auth = await bearer('ana');
    for (const fixture of [PNG, JPEG, GIF, WEBP, PDF, TEXT]) {
      const step1 = await ask(base, auth, { name: fixture.name, type: fixture.type, size: fixture.bytes.length });
      expect(step1).toMatchObject({
        status: 200,
        body: { upload: { url: '/chat/uploads', method: 'POST', fileField: 'file', withAuth: true } },
      });
      // The part's Content-Type says nothing true: the content decides.
      const stored = await sendFile(new URL(step1.body.upload.url, base).href, auth, fixture, 'application/x-anything');
      expect(stored.status, `${fixture.name}: ${JSON.stringify(stored.body)}`).toBe(201);
      const attachment = stored.body.attachment;
      expect(attachment).toEqual({ url: expect.any(String), type: fixture.type, name: fixture.name, size: fixture.bytes.length });
      expect(attachment.url).toMatch(new RegExp(`^${url}/chat/uploads/[A-Za-z0-9_-]{22}\\.${fixture.ext}$`, 'u'));

      const served = await fetch(attachment.url);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe(fixture.type === 'text/plain' ? 'text/plain; charset=utf-8' : fixture.type);
      expect(served.headers.get('x-content-type-options')).toBe('nosniff');
      expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      const disposition = served.headers.get('content-disposition') ?? '';
      expect(disposition.startsWith(fixture.inline ? 'inline;' : 'attachment;'), disposition).toBe(true);
      expect(disposition).toContain(
        `filename*=UTF-8''${encodeURIComponent(fixture.name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
      );
      expect(new Uint8Array(await served.arrayBuffer())).toEqual(fixture.bytes);
    }
    expect((await files(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
    // Served without credentials (an <img> sends none), and in byte ranges.
    const one = (await files(dir)).find((f) => f.endsWith('.pdf')) as string;
    const range = await fetch(`${base}/uploads/${one}`, { headers: { range: 'bytes=0-3' } });
    expect([range.status, range.headers.get('content-range'), await range.text()]).toEqual([206, `bytes 0-3/${PDF.bytes.length}`, '%PDF']);
    const head = await fetch(`${base}/uploads/${one}`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, String(PDF.bytes.length), '']);
  });

  it('refuses by content, whatever the name says: HTML named .png, SVG, and text when text is not allowed', async () => {
    const { base, dir } = await uploadsChat({ types: ['image/png', 'text/plain'] });
    const auth = await bearer('mallory');
    for (const file of [HTML_AS_PNG, SVG]) {
      const refused = await sendFile(`${base}/uploads`, auth, file, 'image/png');
      expect(refused.status, file.name).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('cannot be uploaded') });
    }
    // Declared as SVG in step 1: refused before a byte is sent.
    expect((await ask(base, auth, { name: 'logo.svg', type: 'image/svg+xml', size: 80 })).body.error.code).toBe('VALIDATION_FAILED');

    const imagesOnly = await uploadsChat({ types: ['image/png'] });
    const text = await sendFile(`${imagesOnly.base}/uploads`, auth, TEXT, 'image/png');
    expect(text.body.error?.code).toBe('VALIDATION_FAILED');
    expect(await files(dir)).toEqual([]);
    expect(await files(imagesOnly.dir)).toEqual([]);
  });

  it('refuses an over-size file while it streams in, and keeps nothing of it', async () => {
    const maxBytes = 64 * 1024;
    const { base, dir } = await uploadsChat({ maxBytes });
    const auth = await bearer('ana');
    expect((await ask(base, auth, { name: 'big.png', type: 'image/png', size: maxBytes + 1 })).body.error.code).toBe('PAYLOAD_TOO_LARGE');

    // Chunked, so the size is unknown up front. The client sends a little more than the limit and
    // never ends the request: only a server that refuses while streaming can answer it.
    const upload = rawUpload(base, auth, 'big.png');
    let answered = false;
    void upload.response.then(
      () => (answered = true),
      () => (answered = true),
    );
    upload.req.write(new Uint8Array(maxBytes + 32 * 1024));
    await waitFor(() => expect(answered, 'the server answered while the body was still coming').toBe(true));
    const answer = await upload.response;
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'Files can be at most 64 KB.' });
    expect(answer.endedBefore).toBe(false); // answered while the body was still coming
    upload.req.destroy();
    await waitFor(async () => expect(await files(dir)).toEqual([]));

    // A body announced too large (Content-Length) is refused before it is read.
    const declared = await sendFile(`${base}/uploads`, auth, { name: 'big.png', bytes: new Uint8Array(maxBytes + 20_000) });
    expect([declared.status, declared.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    // Exactly the limit is fine (a PNG padded to maxBytes).
    const exact = new Uint8Array(maxBytes);
    exact.set(PNG.bytes);
    expect((await sendFile(`${base}/uploads`, auth, { name: 'exact.png', bytes: exact })).body.attachment.size).toBe(maxBytes);
  });

  it('refuses requests without credentials (401), bad ones too, and foreign origins (403); keeps nothing', async () => {
    const { base, dir } = await uploadsChat();
    expect((await ask(base, {}, { name: 'a.png', type: 'image/png', size: 10 })).status).toBe(401);
    const anonymous = await sendFile(`${base}/uploads`, {}, PNG);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const forged = await sendFile(`${base}/uploads`, { authorization: 'Bearer not-a-jwt' }, PNG);
    expect(forged.status).toBe(401);
    const junk = await sendFile(`${base}/uploads`, { 'x-chat-auth': '%7Bnot json' }, PNG);
    expect([junk.status, junk.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(await files(dir)).toEqual([]);

    // allowedOrigins holds for uploads as for every route: a foreign page is refused before authenticate.
    const guarded = await uploadsChat({}, { allowedOrigins: ['https://portal.example'] });
    const auth = await bearer('ana');
    const foreign = await sendFile(`${guarded.base}/uploads`, { ...auth, origin: 'https://evil.example' }, PNG);
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await sendFile(`${guarded.base}/uploads`, { ...auth, origin: 'https://portal.example' }, PNG)).status).toBe(201);
  });

  it('names files at random: a path in the name goes nowhere, and only stored files are served', async () => {
    const { base, dir } = await uploadsChat();
    const auth = await bearer('ana');
    const stored = await sendFile(`${base}/uploads`, auth, { name: '../../../etc/passwd.png', bytes: PNG.bytes });
    expect(stored.body.attachment.name).toBe('passwd.png');
    const kept = await files(dir);
    expect(kept).toHaveLength(2); // the file and its description, both in dir
    expect(kept.every((f) => /^[A-Za-z0-9_-]{22}\.(png|json)$/u.test(f))).toBe(true);
    const id = (kept[0] as string).slice(0, 22);
    for (const path of [
      `${id}.json`,
      `${id}.gif`,
      '..%2F..%2Fpackage.json',
      `..%2F${id}.png`,
      'AAAAAAAAAAAAAAAAAAAAAA.png',
      '%2Fetc%2Fpasswd',
    ]) {
      const res = await fetch(`${base}/uploads/${path}`);
      expect([path, res.status, await res.text()]).toEqual([path, 404, 'host 404']);
    }
    expect((await fetch(stored.body.attachment.url)).status).toBe(200);
  });

  it('gives URLs under publicPath when set (behind a proxy or a CDN), whatever the Host header says', async () => {
    const { base } = await uploadsChat({ publicPath: 'https://files.example/chat-files/' });
    const stored = await sendFile(`${base}/uploads`, await bearer('ana'), PNG);
    expect(stored.body.attachment.url).toMatch(/^https:\/\/files\.example\/chat-files\/[A-Za-z0-9_-]{22}\.png$/u);
    const pathOnly = await uploadsChat({ publicPath: '/static/uploads' });
    const onHost = await sendFile(`${pathOnly.base}/uploads`, await bearer('ana'), PNG);
    expect(onHost.body.attachment.url).toMatch(new RegExp(`^${pathOnly.url}/static/uploads/[A-Za-z0-9_-]{22}\\.png$`, 'u'));
  });

  it('keeps no partial file of a client that goes away mid-upload', async () => {
    const { base, dir } = await uploadsChat();
    const upload = rawUpload(base, await bearer('ana'), 'half.png');
    upload.req.write(new Uint8Array(32 * 1024));
    await waitFor(async () => expect((await files(dir)).some((f) => f.startsWith('.part-'))).toBe(true));
    upload.req.destroy();
    await waitFor(async () => expect(await files(dir)).toEqual([]));
  });

  it('takes concurrent uploads, each under its own name', async () => {
    const { base } = await uploadsChat();
    const auth = await bearer('ana');
    const bodies = Array.from({ length: 6 }, (_, i) => {
      const bytes = new Uint8Array(PNG.bytes.length + 1000 * (i + 1));
      bytes.set(PNG.bytes);
      bytes.fill(i, PNG.bytes.length);
      return bytes;
    });
    const stored = await Promise.all(bodies.map((bytes, i) => sendFile(`${base}/uploads`, auth, { name: `p${i}.png`, bytes })));
    expect(new Set(stored.map((s) => s.body.attachment.url)).size).toBe(6);
    for (const [i, s] of stored.entries()) {
      expect(new Uint8Array(await (await fetch(s.body.attachment.url)).arrayBuffer())).toEqual(bodies[i]);
    }
  });

  it("draws on the user's budget: requests, requests in flight, and bytes per hour", async () => {
    const limited = await uploadsChat({}, { limits: { eventBurst: 2, eventsPerSecond: 0.01 } });
    const auth = await bearer('ana');
    expect((await ask(limited.base, auth, { name: 'a.png', type: 'image/png', size: 70 })).status).toBe(200);
    expect((await sendFile(`${limited.base}/uploads`, auth, PNG)).status).toBe(201);
    const third = await fetch(`${limited.base}/uploads`, { method: 'POST', headers: auth, body: new FormData() });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(third)).body.error.code).toBe('RATE_LIMITED');

    // One request at a time: a second upload while the first streams is refused.
    const single = await uploadsChat({}, { limits: { maxRequestsInFlightPerUser: 1 } });
    const slow = rawUpload(single.base, auth, 'slow.png');
    await waitFor(async () => expect((await files(single.dir)).some((f) => f.startsWith('.part-'))).toBe(true));
    expect((await sendFile(`${single.base}/uploads`, auth, PNG)).body.error.code).toBe('RATE_LIMITED');
    slow.end();
    expect((await slow.response).status).toBe(201);

    // Bytes: the upload that empties the quota is taken, the next one waits.
    const quota = await uploadsChat({ bytesPerUserPerHour: 100 });
    const big = new Uint8Array(150);
    big.set(PNG.bytes);
    expect((await sendFile(`${quota.base}/uploads`, auth, { name: 'a.png', bytes: big })).status).toBe(201);
    const over = await sendFile(`${quota.base}/uploads`, auth, PNG);
    expect([over.status, over.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(over.body.error.retryAfter).toBeGreaterThan(0);
    expect((await sendFile(`${quota.base}/uploads`, await bearer('bob'), PNG)).status).toBe(201); // per user
  });

  it('asks authorize about "upload", with the room the file is for', async () => {
    const asked: Array<[string, string]> = [];
    const { base, chat } = await uploadsChat(
      {},
      {
        authorize: (action, { user, roomId }) => {
          if (action === 'upload') asked.push([user.id, roomId]);
          return action !== 'upload' || user.id !== 'guest-like';
        },
      },
    );
    await chat.createRoom({ id: 'lobby', createdBy: 'ana' });
    const ana = await bearer('ana');
    const step1 = await ask(base, ana, { name: 'a.png', type: 'image/png', size: 70, roomId: 'lobby' });
    expect(step1.body.upload.url).toBe('/chat/uploads?roomId=lobby');
    expect((await sendFile(new URL(step1.body.upload.url, base).href, ana, PNG)).status).toBe(201);
    expect(asked).toEqual([
      ['ana', 'lobby'],
      ['ana', 'lobby'],
    ]);
    expect((await sendFile(`${base}/uploads`, await bearer('guest-like'), PNG)).body.error.code).toBe('FORBIDDEN');
    expect((await ask(base, ana, { name: 'a.png', type: 'image/png', size: 70, roomId: 'nowhere' })).body.error.code).toBe(
      'ROOM_NOT_FOUND',
    );
    await chat.endRoom('lobby');
    expect((await sendFile(`${base}/uploads?roomId=lobby`, ana, PNG)).body.error.code).toBe('ROOM_ENDED');
  });

  it('lets guests upload with the auth their socket sends (X-Chat-Auth), as the same user, on node:http with basePath', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chat-uploads-'));
    track(() => rm(dir, { recursive: true, force: true }));
    const http = createServer((req, res) => {
      if (req.url?.startsWith('/api/chat/')) return handler(req, res);
      res.statusCode = 404;
      res.end('host 404');
    });
    const { url, chat } = await startChat({ uploads: diskUploads({ dir }) }, http);
    const handler = chat.httpHandler({ basePath: '/api/chat' });
    const guestKey = 'k'.repeat(32);
    const auth = { 'x-chat-auth': encodeURIComponent(JSON.stringify({ name: 'Zoë', guestKey })) };
    const stored = await sendFile(`${url}/api/chat/uploads`, auth, PNG);
    expect(stored.status).toBe(201);
    expect(stored.body.attachment.url).toMatch(new RegExp(`^${url}/api/chat/uploads/[A-Za-z0-9_-]{22}\\.png$`, 'u'));
    expect((await fetch(stored.body.attachment.url)).status).toBe(200);
    const id = (new URL(stored.body.attachment.url).pathname.split('/').pop() as string).slice(0, 22);
    const meta = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as StoredMeta;
    const socket = await rawSocket(url, { name: 'Zoë', guestKey });
    const joined = await socket.emitWithAck('room:join', { roomId: 'lobby' });
    expect(joined.ok && joined.data.self.id).toBe(meta.userId);
    // Without X-Chat-Auth a guest server has no one to sign in.
    expect((await sendFile(`${url}/api/chat/uploads`, {}, PNG)).status).toBe(401);
  });
});

describe('uploads ({ sign })', () => {
  it("answers the host's target, refuses files sent to the chat server, and reports a bad sign() as INTERNAL", async () => {
    const errors: string[] = [];
    let answer: unknown = {
      url: 'https://bucket.example/k?sig=1',
      method: 'PUT',
      attachment: { url: 'https://bucket.example/k', type: 'image/png' },
    };
    const app = express();
    const { chat, url } = await startChat(
      {
        authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }),
        uploads: {
          sign: (file) => {
            if (file.size > 1000) throw new ChatError('PAYLOAD_TOO_LARGE', 'Too big for the bucket.');
            return answer as UploadTarget;
          },
        },
      },
      createServer(app),
    );
    chat.on('error', (error) => errors.push(error.message));
    app.use('/chat', chat.httpHandler());
    const base = `${url}/chat`;
    const auth = await bearer('ana');
    expect(await ask(base, auth, { name: 'a.png', type: 'image/png', size: 70 })).toMatchObject({ status: 200, body: { upload: answer } });
    expect((await ask(base, auth, { name: 'a.png', type: 'image/png', size: 5000 })).body.error).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Too big for the bucket.',
    });
    expect((await ask(base, auth, { name: 'a.png', type: 'image/png', size: -1 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await sendFile(`${base}/uploads`, auth, PNG)).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('POST { name, type, size } as JSON first'),
    });
    // Nothing is served by the chat server either.
    expect((await fetch(`${base}/uploads/AAAAAAAAAAAAAAAAAAAAAA.png`)).status).toBe(404);

    answer = { url: 'javascript:alert(1)', method: 'PUT' };
    const bad = await ask(base, auth, { name: 'a.png', type: 'image/png', size: 70 });
    expect([bad.status, bad.body.error.code]).toEqual([500, 'INTERNAL']);
    answer = { url: 'https://bucket.example/k', method: 'PUT', attachment: { url: '/relative', type: 'image/png' } };
    expect((await ask(base, auth, { name: 'a.png', type: 'image/png', size: 70 })).status).toBe(500);
    expect(errors).toEqual([
      'uploads.sign() returned no { url, method } the client can use.',
      'uploads.sign() returned an attachment a message cannot carry.',
    ]);
  });

  it('refuses a diskUploads configuration that could serve script, at ready()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chat-uploads-'));
    track(() => rm(dir, { recursive: true, force: true }));
    for (const types of [['image/svg+xml'], ['text/html'], ['text/csv'], []]) {
      const chat = createChatServer(createServer(), { uploads: diskUploads({ dir, types }) });
      track(() => chat.close());
      const reported: unknown[] = [];
      chat.on('error', (error) => reported.push(error.cause));
      await expect(chat.ready(), types.join()).rejects.toBeInstanceOf(TypeError);
      expect(reported).toEqual([expect.any(TypeError)]);
    }
    expect(() => diskUploads({ dir, publicPath: 'uploads' })).toThrow(TypeError);
  });
});
