import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Attachment, ChatErrorData } from '@chat/protocol';
import type { ChatServerOptions } from '../../options.js';
import { startChat, track } from '../../../../../test-support/servers.js';
import { diskUploads, type DiskUploadsOptions } from './disk-uploads.js';
import { PNG } from './upload-fixtures.js';

// A hostile uploader against what uploads.integration.test.ts does not try: a file name that
// smuggles header lines through RFC 5987 encoding, a PNG that is also HTML, text that is HTML
// after an invisible character, odd byte ranges, a guest naming another guest's id (probes that
// found no defect, kept as regression tests), and many tiny files against the byte quota.

/** An uploads route's answer as these tests read it (`attachment` or `error`): unchecked, the expectations check it. */
interface Answer {
  attachment: Attachment;
  error: ChatErrorData;
}

async function guestUploads(disk: Partial<DiskUploadsOptions> = {}, options: ChatServerOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'chat-attack-uploads-'));
  track(() => rm(dir, { recursive: true, force: true }));
  const started = await startChat({ uploads: diskUploads({ dir, ...disk }), ...options });
  await started.chat.ready();
  const handler = started.chat.httpHandler({ basePath: '/chat' });
  started.http.on('request', (req, res) => {
    if (req.url?.startsWith('/chat')) handler(req, res);
  });
  return { ...started, base: `${started.url}/chat` };
}

const guest = (name: string, guestKey?: string) => ({
  'x-chat-auth': encodeURIComponent(JSON.stringify({ name, ...(guestKey && { guestKey }) })),
});

/** A multipart body written by hand, with the part headers given as they are. */
async function rawPost(
  base: string,
  headers: Record<string, string>,
  partHeaders: string,
  bytes: Uint8Array,
): Promise<{ status: number; body: Answer }> {
  const boundary = 'attack-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\n${partHeaders}\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const url = new URL(`${base}/uploads`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('uploads against a hostile uploader', () => {
  it('a name with encoded line breaks, quotes and a direction override gives one clean Content-Disposition line', async () => {
    const { base } = await guestUploads();
    const smuggled = "filename*=utf-8''a%22%0D%0ASet-Cookie%3A%20x%3D1%0D%0A%E2%80%AEgnp.exe%22.png";
    const stored = await rawPost(base, guest('Eve'), `Content-Disposition: form-data; name="file"; ${smuggled}`, PNG.bytes);
    expect(stored.status).toBe(201);
    expect(stored.body.attachment.name).toBe('a"Set-Cookie: x=1gnp.exe".png');
    const served = await fetch(stored.body.attachment.url);
    expect(served.headers.get('set-cookie')).toBeNull();
    const disposition = served.headers.get('content-disposition') as string;
    expect(disposition).toMatch(/^inline; filename="a_Set-Cookie: x=1gnp.exe_.png"; filename\*=UTF-8''[!-~]+$/u);
  });

  it('a PNG that is also an HTML page is a PNG: served as image/png, nosniff, sandboxed', async () => {
    const { base } = await guestUploads();
    const polyglot = new Uint8Array([...PNG.bytes, ...Buffer.from('<html><script>alert(document.cookie)</script></html>')]);
    const stored = await rawPost(base, guest('Eve'), 'Content-Disposition: form-data; name="file"; filename="page.html"', polyglot);
    expect(stored.body.attachment).toMatchObject({ type: 'image/png', name: 'page.html' });
    expect(stored.body.attachment.url).toMatch(/\.png$/u);
    const served = await fetch(stored.body.attachment.url);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('HTML after an invisible character is taken as text only to be served as text/plain, for download, sandboxed', async () => {
    const { base } = await guestUploads({ types: ['text/plain'] });
    const html = Buffer.from('\u200b<html><script>alert(1)</script></html>');
    const stored = await rawPost(base, guest('Eve'), 'Content-Disposition: form-data; name="file"; filename="x.html"', html);
    expect(stored.body.attachment.type).toBe('text/plain');
    const served = await fetch(stored.body.attachment.url);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/u);
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('odd byte ranges get 416 or the whole file, never a crash', async () => {
    const { base } = await guestUploads();
    const stored = await rawPost(base, guest('Eve'), 'Content-Disposition: form-data; name="file"; filename="dot.png"', PNG.bytes);
    const size = PNG.bytes.length;
    for (const [range, status] of [
      ['bytes=-0', 416],
      ['bytes=99999999999999999999-', 416],
      [`bytes=${size}-`, 416],
      ['bytes=5-1', 416],
      ['bytes=0-0,2-3', 200],
      ['bytes=-99999999999999999999', 206],
      ['items=0-1', 200],
    ] as const) {
      const res = await fetch(stored.body.attachment.url, { headers: { range } });
      expect([range, res.status]).toEqual([range, status]);
      await res.arrayBuffer();
    }
  });

  it("a guest naming another guest's id (not their key) in X-Chat-Auth uploads as a new guest, not as them", async () => {
    const seen: string[] = [];
    const { base } = await guestUploads(
      {},
      {
        authorize: (action, ctx) => {
          if (action === 'upload') seen.push(ctx.user.id);
          return true;
        },
      },
    );
    const ana = await rawPost(
      base,
      guest('Ana', 'ana-secret-guest-key-0001'),
      'Content-Disposition: form-data; name="file"; filename="a.png"',
      PNG.bytes,
    );
    expect(ana.status).toBe(201);
    const anaId = seen[0] as string;
    const forged = { 'x-chat-auth': encodeURIComponent(JSON.stringify({ name: 'Ana', id: anaId, userId: anaId, sub: anaId })) };
    expect((await rawPost(base, forged, 'Content-Disposition: form-data; name="file"; filename="b.png"', PNG.bytes)).status).toBe(201);
    expect(seen[1]).toMatch(/^guest_/u);
    expect(seen[1]).not.toBe(anaId);
  });

  it('many tiny files are charged what they take on disk: the hourly quota bounds the folder, not just the bytes sent', async () => {
    // Each stored upload is two files (the file and its description): at least two blocks on
    // disk however small it is. Charged 67 bytes each, a 64 KB quota let ~1,000 of them in (~8 MB).
    const quota = 64 * 1024;
    const { base } = await guestUploads({ bytesPerUserPerHour: quota }, { limits: { eventBurst: 1000 } });
    const eve = guest('Eve', 'eve-secret-guest-key-00001');
    let stored = 0;
    for (let i = 0; i < 50; i++) {
      const res = await rawPost(base, eve, `Content-Disposition: form-data; name="file"; filename="${i}.png"`, PNG.bytes);
      if (res.status !== 201) {
        expect(res.body.error.code).toBe('RATE_LIMITED');
        break;
      }
      stored++;
    }
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(Math.ceil(quota / (8 * 1024)));
  });
});
