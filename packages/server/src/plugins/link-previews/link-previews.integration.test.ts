// Link previews against stand-in sites on the loopback: `allowedAddresses: ['127.0.0.1/32']` lets
// them through, the default refuses them. The "outside" site of the inward-redirect tests is on
// 127.0.0.2, another loopback address (Linux answers on all of 127.0.0.0/8).
import { createHash } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { redirect, serve, startSite, type SiteRoute } from '../../../../../test-support/stand-in-site.js';
import { track } from '../../../../../test-support/tracked.js';
import { GIF, JPEG, PNG, SVG, WEBP } from '../../capabilities/uploads/upload-fixtures.js';
import { outboundAgents } from '../../core/outbound-agent.js';
import { fetchLinkPreview, type PreviewFetchTools } from './link-preview.js';
import { linkPreviewsConfig, type LinkPreviewsOptions } from './link-previews-options.js';
import { PreviewFailureReason } from './preview-outcome.js';

const LOOPBACK = { allowedAddresses: ['127.0.0.1/32'] };

async function tools(options: LinkPreviewsOptions = LOOPBACK, lookup?: LookupFunction): Promise<PreviewFetchTools> {
  const config = linkPreviewsConfig({ timeoutMs: 1000, ...options });
  const agents = await outboundAgents({ allowedAddresses: config.allowedAddresses });
  track(() => agents.release());
  return { agents, config, ...(lookup !== undefined && { lookup }) };
}

/** Resolves every name to `address` (what it answers still goes through the agent's check). */
const resolveTo =
  (address: string): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all)
      (callback as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  };

const html = (head: string, body = '<p>Hello</p>') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const page = (head: string, body?: string) => serve('text/html; charset=utf-8', html(head, body));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A route that sends its headers and the start of a page, then never more. */
const stalling: SiteRoute = (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html' });
  response.write('<html><head><title>Slow');
};

describe('a page with tags', () => {
  it('gives its Open Graph title, description, site name, and its image checked and named by its hash', async () => {
    const site = await startSite({
      '/article': page(`
        <title>Fallback</title>
        <meta property="og:title" content="  A   headline\n over two lines ">
        <meta property="og:description" content="What it is about &amp; why.">
        <meta property="og:site_name" content="Example News">
        <meta property="og:image" content="/img/cover.png">`),
      '/img/cover.png': serve('image/png', PNG.bytes),
    });
    const result = await fetchLinkPreview(`${site.url}/article`, await tools());
    expect(result).toEqual({
      ok: true,
      value: {
        preview: {
          url: `${site.url}/article`,
          title: 'A headline over two lines',
          description: 'What it is about & why.',
          siteName: 'Example News',
          image: `/previews/${sha256(PNG.bytes)}`,
        },
        image: { hash: sha256(PNG.bytes), mime: 'image/png', bytes: expect.any(Uint8Array) },
      },
    });
    if (result.ok) expect(Buffer.from(result.value.image?.bytes ?? [])).toEqual(Buffer.from(PNG.bytes));
    expect(site.hits).toEqual(['/article', '/img/cover.png']);
  });

  it('falls back on Twitter tags and <title>, and takes JPEG, GIF and WebP images', async () => {
    const images = { jpg: JPEG, gif: GIF, webp: WEBP };
    const routes: Record<string, SiteRoute> = {};
    for (const [ext, image] of Object.entries(images)) {
      routes[`/${ext}`] = page(`<title>Only ${ext}</title><meta name="twitter:image" content="/i.${ext}">`);
      routes[`/i.${ext}`] = serve('application/octet-stream', image.bytes);
    }
    const site = await startSite(routes);
    const fetch = await tools();
    for (const [ext, image] of Object.entries(images)) {
      const result = await fetchLinkPreview(`${site.url}/${ext}`, fetch);
      expect(result.ok && result.value.preview).toEqual({
        url: `${site.url}/${ext}`,
        title: `Only ${ext}`,
        image: `/previews/${sha256(image.bytes)}`,
      });
      expect(result.ok && result.value.image?.mime).toBe(image.type);
    }
  });

  it('keeps script in the title as text: the literal characters, never markup', async () => {
    const site = await startSite({
      '/': page('<title>&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script> Hi</title>'),
    });
    const result = await fetchLinkPreview(`${site.url}/`, await tools());
    expect(result.ok && result.value.preview.title).toBe('<script>alert(1)</script> <script>alert(2)</script> Hi');
  });

  it('decodes the page in the charset its Content-Type names', async () => {
    const latin1 = Buffer.from(html('<title>Caf\u00e9 cr\u00e8me</title>'), 'latin1');
    const site = await startSite({ '/': serve('text/html; charset=ISO-8859-1', latin1) });
    const result = await fetchLinkPreview(`${site.url}/`, await tools());
    expect(result.ok && result.value.preview.title).toBe('Café crème');
  });

  it('gives no preview for a page with no title, nor for an error status', async () => {
    const site = await startSite({ '/untitled': page('<meta charset="utf-8">') });
    const fetch = await tools();
    expect(await fetchLinkPreview(`${site.url}/untitled`, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.NoTitle });
    expect(await fetchLinkPreview(`${site.url}/missing`, fetch)).toEqual({
      ok: false,
      reason: PreviewFailureReason.HttpStatus,
      message: `${site.url}/missing answered 404`,
    });
  });
});

describe('addresses', () => {
  it('refuses the loopback by default, before any request reaches it', async () => {
    const site = await startSite({ '/': page('<title>Inside</title>') });
    const result = await fetchLinkPreview(`${site.url}/`, await tools({}));
    expect(result).toEqual({
      ok: false,
      reason: PreviewFailureReason.RefusedAddress,
      message: `${site.url}/ leads to 127.0.0.1, an address of a private network, which link previews are not fetched from (list it in linkPreviews({ allowedAddresses }) if the site is yours)`,
    });
    expect(site.hits).toEqual([]);
  });

  it('refuses a name that resolves to the loopback (localhost, or any name a resolver answers so) by default', async () => {
    const site = await startSite({ '/': page('<title>Inside</title>') });
    const byDefault = await tools({});
    expect(await fetchLinkPreview(`http://localhost:${site.port}/`, byDefault)).toMatchObject({
      reason: PreviewFailureReason.RefusedAddress,
    });
    const named = `http://innocent.example:${site.port}/`;
    const refused = await fetchLinkPreview(named, await tools({}, resolveTo('127.0.0.1')));
    expect(refused).toMatchObject({
      ok: false,
      reason: PreviewFailureReason.RefusedAddress,
      message: expect.stringContaining('leads to 127.0.0.1'),
    });
    expect(site.hits).toEqual([]);
    // The same name with the loopback allowed: the refusal was the address's, not the name's.
    expect(await fetchLinkPreview(named, await tools(LOOPBACK, resolveTo('127.0.0.1')))).toMatchObject({ ok: true });
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::1]/',
    'http://0.0.0.0/',
    'http://100.64.0.1/',
    'http://10.1.2.3/',
  ])('refuses %s at once, even with the loopback allowed', async (url) => {
    // request-filtering-agent warns "Invalid CIDR" when it matches an IPv6 address against an
    // IPv4 CIDR of the list (it goes on to refuse it by its range all the same).
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => warn.mockRestore());
    // Short: a connection attempt to such an address would hang until the deadline, a refusal is at once.
    const result = await fetchLinkPreview(url, await tools({ ...LOOPBACK, timeoutMs: 500 }));
    expect(result).toMatchObject({ ok: false, reason: PreviewFailureReason.RefusedAddress });
  });

  it('refuses a redirect to the loopback from a site that is let through', async () => {
    const inside = await startSite({ '/admin': page('<title>Inside secrets</title>') });
    const outside = await startSite({ '/': redirect(`${inside.url}/admin`) }, '127.0.0.2');
    const result = await fetchLinkPreview(`${outside.url}/`, await tools({ allowedAddresses: ['127.0.0.2/32'] }));
    expect(result).toMatchObject({
      ok: false,
      reason: PreviewFailureReason.RefusedAddress,
      message: expect.stringContaining(`${inside.url}/admin leads to 127.0.0.1`),
    });
    expect(outside.hits).toEqual(['/']);
    expect(inside.hits).toEqual([]);
  });

  it('refuses a redirect to the metadata address with the loopback allowed, without trying to connect', async () => {
    const site = await startSite({ '/': redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/') });
    const result = await fetchLinkPreview(`${site.url}/`, await tools({ ...LOOPBACK, timeoutMs: 500 }));
    expect(result).toMatchObject({
      ok: false,
      reason: PreviewFailureReason.RefusedAddress,
      message: expect.stringContaining('leads to 169.254.169.254'),
    });
  });
});

describe('redirects, schemes and hosts', () => {
  const chain = (length: number): Record<string, SiteRoute> => {
    const routes: Record<string, SiteRoute> = { [`/r${length}`]: page(`<title>After ${length}</title>`) };
    for (let i = 0; i < length; i++) routes[`/r${i}`] = redirect(`/r${i + 1}`, [301, 302, 303, 307, 308][i % 5]);
    return routes;
  };

  it('follows 3 redirects, and refuses a 4th without asking for it', async () => {
    const three = await startSite(chain(3));
    expect(await fetchLinkPreview(`${three.url}/r0`, await tools())).toMatchObject({
      ok: true,
      value: { preview: { url: `${three.url}/r0`, title: 'After 3' } },
    });
    const four = await startSite(chain(4));
    expect(await fetchLinkPreview(`${four.url}/r0`, await tools())).toEqual({
      ok: false,
      reason: PreviewFailureReason.TooManyRedirects,
      message: `${four.url}/r0 redirected more than 3 times`,
    });
    expect(four.hits).toEqual(['/r0', '/r1', '/r2', '/r3']);
  });

  it('fetches only http(s) links and redirects, and never sends a user or password', async () => {
    const site = await startSite({
      '/file': redirect('file:///etc/passwd'),
      '/ftp': redirect('ftp://files.example/'),
      '/broken': redirect('http://[broken'),
    });
    const fetch = await tools();
    for (const link of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://files.example/', 'gopher://127.0.0.1:6379/', 'not a url']) {
      expect(await fetchLinkPreview(link, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.BadLink });
    }
    expect(await fetchLinkPreview(`${site.url}/file`, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.BadLink });
    expect(await fetchLinkPreview(`${site.url}/ftp`, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.BadLink });
    expect(await fetchLinkPreview(`http://user:secret@127.0.0.1:${site.port}/`, fetch)).toMatchObject({
      reason: PreviewFailureReason.BadLink,
    });
    expect(await fetchLinkPreview(`${site.url}/broken`, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.BadLink });
    expect(site.hits).toEqual(['/file', '/ftp', '/broken']);
  });

  it('keeps to allowedHosts, on every redirect and for the image', async () => {
    const site = await startSite({
      '/': page('<title>Listed</title><meta property="og:image" content="http://img.elsewhere.example/i.png">'),
      '/away': redirect('http://elsewhere.example/'),
    });
    const port = site.port;
    const fetch = await tools({ ...LOOPBACK, allowedHosts: ['news.example'] }, resolveTo('127.0.0.1'));
    const listed = await fetchLinkPreview(`http://news.example:${port}/`, fetch);
    expect(listed).toMatchObject({
      ok: true,
      value: { preview: { title: 'Listed' }, imageFailure: { reason: PreviewFailureReason.HostNotAllowed } },
    });
    expect(listed.ok && listed.value.preview.image).toBeUndefined();
    expect(await fetchLinkPreview(`http://news.example:${port}/away`, fetch)).toMatchObject({
      reason: PreviewFailureReason.HostNotAllowed,
    });
    expect(await fetchLinkPreview(`http://other.example:${port}/`, fetch)).toMatchObject({
      reason: PreviewFailureReason.HostNotAllowed,
      message: 'other.example is not in linkPreviews({ allowedHosts })',
    });
    expect(site.hits).toEqual(['/', '/away']);
  });
});

describe('bounds', () => {
  it('gives up on a page that never answers, or never ends, at the deadline', async () => {
    const site = await startSite({ '/silent': () => undefined, '/stalling': stalling });
    const fetch = await tools({ ...LOOPBACK, timeoutMs: 200 });
    for (const path of ['/silent', '/stalling']) {
      expect(await fetchLinkPreview(`${site.url}${path}`, fetch)).toEqual({
        ok: false,
        reason: PreviewFailureReason.Timeout,
        message: `${site.url}${path} took more than 200 ms to answer in full`,
      });
    }
  });

  it('reads a huge page only as far as its head, or as maxBytes, and fails cleanly when the tags come later', async () => {
    const filler = `<p>${'x'.repeat(1000)}</p>`.repeat(2000); // 2 MB
    const site = await startSite({
      '/head-first': page('<meta property="og:title" content="Tags first">', filler),
      '/tags-late': serve(
        'text/html',
        `<html><head>${`<meta name="filler" content="${'y'.repeat(1000)}">`.repeat(2000)}<title>Too late</title></head></html>`,
      ),
    });
    const fetch = await tools({ ...LOOPBACK, maxBytes: 64 * 1024 });
    expect(await fetchLinkPreview(`${site.url}/head-first`, fetch)).toMatchObject({
      ok: true,
      value: { preview: { title: 'Tags first' } },
    });
    expect(await fetchLinkPreview(`${site.url}/tags-late`, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.NoTitle });
  });

  it('stops reading at the end of the head: a page whose body never ends still gives its preview', async () => {
    const site = await startSite({
      '/': (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.write('<html><head><meta property="og:title" content="Head done"></head><body><p>and then nothing more');
      },
    });
    expect(await fetchLinkPreview(`${site.url}/`, await tools({ ...LOOPBACK, timeoutMs: 2000 }))).toMatchObject({
      ok: true,
      value: { preview: { title: 'Head done' } },
    });
  });

  it('reads a page compressed although identity was asked for, counting maxBytes after decompression', async () => {
    const zeros = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)); // 8 MB of spaces, a few KB sent
    const site = await startSite({
      '/gzip': serve('text/html', gzipSync(html('<title>Zipped</title>')), { 'content-encoding': 'gzip' }),
      '/bomb': serve('text/html', zeros, { 'content-encoding': 'gzip' }),
      '/zstd': serve('text/html', 'whatever', { 'content-encoding': 'zstd' }),
    });
    const fetch = await tools({ ...LOOPBACK, maxBytes: 64 * 1024 });
    expect(await fetchLinkPreview(`${site.url}/gzip`, fetch)).toMatchObject({ ok: true, value: { preview: { title: 'Zipped' } } });
    expect(await fetchLinkPreview(`${site.url}/bomb`, fetch)).toMatchObject({ ok: false, reason: PreviewFailureReason.NoTitle });
    expect(await fetchLinkPreview(`${site.url}/zstd`, fetch)).toEqual({
      ok: false,
      reason: PreviewFailureReason.Unreachable,
      message: `${site.url}/zstd sent its body in an encoding previews do not read (zstd)`,
    });
  });

  it('takes an image as og:image but not as a page, and refuses SVG and a large image', async () => {
    const big = new Uint8Array(4096);
    big.set(PNG.bytes);
    const site = await startSite({
      '/cover.png': serve('image/png', PNG.bytes),
      '/svg': page('<title>SVG</title><meta property="og:image" content="/logo.svg">'),
      '/logo.svg': serve('image/svg+xml', SVG.bytes),
      '/lying': page('<title>Lying</title><meta property="og:image" content="/lying.png">'),
      '/lying.png': serve('image/png', SVG.bytes),
      '/big': page('<title>Big</title><meta property="og:image" content="/big.png">'),
      '/big.png': serve('image/png', big),
      '/big-unsized': page('<title>Big</title><meta property="og:image" content="/big-unsized.png">'),
      '/big-unsized.png': (_request, response) => {
        response.writeHead(200, { 'content-type': 'image/png' });
        response.write(big.subarray(0, 2048));
        response.end(big.subarray(2048));
      },
    });
    const fetch = await tools({ ...LOOPBACK, maxImageBytes: 1024 });
    expect(await fetchLinkPreview(`${site.url}/cover.png`, fetch)).toEqual({
      ok: false,
      reason: PreviewFailureReason.NotHtml,
      message: `${site.url}/cover.png is image/png, not an HTML page`,
    });
    for (const [path, reason] of [
      ['/svg', PreviewFailureReason.NotImage],
      ['/lying', PreviewFailureReason.NotImage],
      ['/big', PreviewFailureReason.TooLarge],
      ['/big-unsized', PreviewFailureReason.TooLarge],
    ] as const) {
      const result = await fetchLinkPreview(`${site.url}${path}`, fetch);
      expect(result).toMatchObject({ ok: true, value: { imageFailure: { ok: false, reason } } });
      expect(result.ok && result.value.preview.image).toBeUndefined();
      expect(result.ok && result.value.image).toBeUndefined();
    }
  });
});
