import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import {
  axeViolations,
  fetchedScripts,
  launchBrowser,
  skipWithoutChromium,
  screenshot,
  revoked,
  watchRevoked,
} from '../../../test-support/browser.js';
import { Gate } from '../../../test-support/gate.js';
import { startChat, track } from '../../../test-support/servers.js';
import { HTML_AS_PNG, PDF } from '../../server/src/capabilities/uploads/upload-fixtures.js';
import { contextExpecting } from './expected-errors.js';

// Files in the script-tag widget, in Chromium: the attach button, a pasted image, a dropped
// image, progress, previews, removal, sending, the other person's thumbnail and its full-size
// view, and the server's refusals, with axe-core on every new state.
const bundlePath = fileURLToPath(new URL('../dist/chat-room.min.js', import.meta.url));
const MAX_BYTES = 8 * 1024 * 1024;
/**
 * The limit of the site that refuses a file for its size: small, so that the file over it is
 * small too (Playwright hands an 8 MB file to the page slowly on a loaded machine: a run timed
 * out inside `setFiles`). The refusal is the same at any size.
 */
const SMALL_MAX_BYTES = 64 * 1024;

/**
 * A host page with the widget, next to a chat server whose REST handler (and so `POST
 * /chat/uploads`) is mounted at /chat, as the docs show. `hold` keeps the files' bodies waiting
 * at the server while closed (a slow upload, to see its progress).
 */
async function startSite(maxBytes = MAX_BYTES) {
  const bundle = readFileSync(bundlePath);
  const dir = await mkdtemp(join(tmpdir(), 'widget-uploads-'));
  // Retried: an upload the closing server was still writing can land in it while it is removed (ENOTEMPTY).
  track(() => rm(dir, { recursive: true, force: true, maxRetries: 5 }));
  const hold = new Gate();
  const app = express();
  app.get('/chat-room.min.js', (_req, res) => void res.type('text/javascript').send(bundle));
  // What the bundle loads from next to it when first used: the uploads and the image view, Spanish.
  app.get(/^\/chat-room\.[\w-]+\.js$/, (req, res) => void res.sendFile(join(dirname(bundlePath), req.path)));
  app.get('/page', (req, res) => {
    const attrs = Object.entries(req.query as Record<string, string>)
      .map(([k, v]) => `${k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
      .join(' ');
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
      <style>body{margin:0} .sidebar{width:min(360px,100vw);height:600px}</style></head>
      <body><div class="sidebar"><chat-room ${attrs}></chat-room></div>
      <script>window.events=[];for (const t of ['chat-message','chat-join','chat-error']) document.addEventListener(t, e => window.events.push([t, JSON.parse(JSON.stringify(e.detail))]));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  app.use('/chat/uploads', (req, _res, next) => {
    if (req.method === 'POST' && req.headers['content-type']?.startsWith('multipart/')) void hold.wait().then(() => next());
    else next();
  });
  const site = await startChat(
    { presenceCoalesceMs: 20, uploads: diskUploads({ dir, maxBytes, types: ['image/*', 'application/pdf'] }) },
    createServer(app),
  );
  app.use('/chat', site.chat.httpHandler());
  const browser = await launchBrowser();
  const open = async (params: Record<string, string>, context?: BrowserContext): Promise<Page> => {
    const page = await (context ?? (await browser.newContext({ viewport: { width: 360, height: 640 } }))).newPage();
    await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url, ...params })}`);
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    return page;
  };
  return { ...site, browser, open, hold };
}

const widget = (page: Page) => page.locator('chat-room');
async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
function shoot(page: Page, name: string) {
  return screenshot(widget(page), name);
}
const drafts = (page: Page) =>
  page.locator('chat-room .drafts li').evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector('.draft-name')?.textContent,
      preview: li.querySelector('img')?.getAttribute('src')?.slice(0, 5),
      progress: li.querySelector('progress')?.getAttribute('aria-label') ?? undefined,
      error: li.querySelector('[role=alert]')?.textContent ?? undefined,
    })),
  );
const errorCodes = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { events: Array<[string, { error: { code: string } }]> }).events
      .filter(([t]) => t === 'chat-error')
      .map(([, d]) => d.error.code),
  );

/** Makes an image File in the page (a gradient with a label; `grain` adds noise, for a big file). */
function makeImage(page: Page, name: string, width: number, height: number, grain = false) {
  return page.evaluateHandle(
    async ({ name, width, height, grain }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      const fill = g.createLinearGradient(0, 0, width, height);
      fill.addColorStop(0, '#0b5cad');
      fill.addColorStop(1, '#2da44e');
      g.fillStyle = fill;
      g.fillRect(0, 0, width, height);
      if (grain) {
        const pixels = g.getImageData(0, 0, width, height);
        for (let i = 0; i < pixels.data.length; i += 4) pixels.data[i] = (pixels.data[i] as number) ^ (Math.random() * 24);
        g.putImageData(pixels, 0, 0);
      }
      g.fillStyle = '#fff';
      g.font = `bold ${Math.round(height / 5)}px sans-serif`;
      g.fillText('x-ray', width / 10, height / 2);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
      return new File([blob], name, { type: 'image/png' });
    },
    { name, width, height, grain },
  );
}

describe.skipIf(skipWithoutChromium())('<chat-room uploads> in Chromium', () => {
  it('attach, paste and drop files with progress and previews, remove one, send; the other page sees them and opens the image full size', async () => {
    const { open, hold } = await startSite();
    const ana = await open({ room: 'files', name: 'Ana', uploads: '' });
    const luis = await open({ room: 'files', name: 'Luis', uploads: '' });
    await expect.poll(() => ana.locator('chat-room header button[aria-controls=members]').textContent()).toContain('2 here');
    const attach = ana.getByRole('button', { name: 'Attach files' });
    await expect.poll(() => attach.isEnabled()).toBe(true);
    await expectAccessible(ana, 'composer with the attach button');
    // The upload code (the widget's and the SDK's) is chat-room.uploads.js, fetched with the first file.
    expect(await fetchedScripts(ana)).toEqual(['/chat-room.min.js']);
    await watchRevoked(ana);
    hold.close(); // the files wait at the server: their progress shows

    // The attach button opens the file chooser.
    const [chooser] = await Promise.all([ana.waitForEvent('filechooser'), attach.click()]);
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles({ name: PDF.name, mimeType: PDF.type, buffer: Buffer.from(PDF.bytes) });
    // A pasted image (a screenshot, say) is attached; a dropped one too.
    const pasted = await makeImage(ana, 'pasted.png', 480, 320);
    await ana.locator('chat-room #input').evaluate((box, file) => {
      const data = new DataTransfer();
      data.items.add(file);
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, pasted);
    const dropped = await makeImage(ana, 'scan.png', 1400, 900, true);
    const transfer = await ana.evaluateHandle((file) => {
      const data = new DataTransfer();
      data.items.add(file);
      return data;
    }, dropped);
    const frame = ana.locator('chat-room section.frame');
    await frame.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect.poll(() => ana.locator('chat-room .drop').textContent()).toBe('Drop files to attach them');
    await shoot(ana, 'widget-upload-drop-light');
    await frame.dispatchEvent('drop', { dataTransfer: transfer });
    await expect.poll(() => ana.locator('chat-room .drop').count()).toBe(0);

    // Three drafts, each with a labelled progress bar; images with a local preview.
    await expect
      .poll(() => drafts(ana))
      .toEqual([
        { name: PDF.name, preview: undefined, progress: `Uploading ${PDF.name}`, error: undefined },
        { name: 'pasted.png', preview: 'blob:', progress: 'Uploading pasted.png', error: undefined },
        { name: 'scan.png', preview: 'blob:', progress: 'Uploading scan.png', error: undefined },
      ]);
    expect(await fetchedScripts(ana)).toEqual(['/chat-room.min.js', '/chat-room.uploads.js']);
    const bar = ana.getByRole('progressbar', { name: 'Uploading scan.png' });
    expect(Number(await bar.getAttribute('value'))).toBeGreaterThanOrEqual(0);
    await expectAccessible(ana, 'three files uploading');
    await shoot(ana, 'widget-upload-progress-light');

    // Sending waits for the files: the status line says so, the text stays.
    await ana.locator('chat-room #input').fill('the results');
    await ana.locator('chat-room #input').press('Enter');
    await expect.poll(() => ana.locator('chat-room .note').textContent()).toBe('Wait until the files are uploaded, then send.');
    expect(await ana.locator('chat-room #input').inputValue()).toBe('the results');

    // The PDF is taken out before sending (its upload is cancelled); its preview goes.
    await ana.getByRole('button', { name: `Remove ${PDF.name}` }).click();
    await expect.poll(async () => (await drafts(ana)).map((d) => d.name)).toEqual(['pasted.png', 'scan.png']);
    const previews = await ana.locator('chat-room .drafts img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));

    hold.open();
    await expect.poll(async () => (await drafts(ana)).map((d) => d.progress)).toEqual([undefined, undefined]);
    await expect.poll(() => ana.locator('chat-room .note').textContent()).toBe(''); // no more waiting
    await expectAccessible(ana, 'files uploaded, ready to send');
    await shoot(ana, 'widget-upload-ready-light');
    await ana.locator('chat-room #input').press('Enter');
    await expect.poll(() => drafts(ana)).toEqual([]);
    // The previews' object URLs were given back to the browser.
    expect((await revoked(ana)).sort()).toEqual([...previews].sort());

    // Luis sees the message with both images as thumbnails.
    const thumbs = luis.locator('chat-room [role=article] .thumb');
    await expect
      .poll(() => thumbs.evaluateAll((b) => b.map((x) => x.getAttribute('aria-label'))))
      .toEqual(['View pasted.png', 'View scan.png']);
    await expect
      .poll(() =>
        thumbs
          .first()
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBe(480);
    await expect.poll(() => luis.locator('chat-room [role=article] .text').last().textContent()).toBe('the results');
    await expectAccessible(luis, 'a message with two image thumbnails');
    await shoot(luis, 'widget-upload-received-light');

    // A click shows the image full size in a modal dialog (chat-room.viewer.js, fetched then): focus in it, the page behind inert.
    expect(await fetchedScripts(luis)).toEqual(['/chat-room.min.js']);
    await thumbs.first().click();
    const dialog = luis.getByRole('dialog', { name: 'pasted.png' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const focusedLabel = () =>
      luis.evaluate(() => {
        const el = document.querySelector('chat-room')?.shadowRoot?.activeElement;
        return el
          ? `${el.tagName.toLowerCase()}:${el.textContent?.trim() || el.getAttribute('aria-label')}:${Boolean(el.closest('dialog'))}`
          : 'none';
      });
    expect(await focusedLabel()).toBe('button:Close:true');
    expect(await fetchedScripts(luis)).toEqual(['/chat-room.min.js', '/chat-room.viewer.js']);
    expect(await dialog.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(480);
    for (let i = 0; i < 3; i++) {
      await luis.keyboard.press('Tab');
      expect(await focusedLabel()).toMatch(/:true$|^none$/u); // in the dialog (or the browser's own UI), never behind it
    }
    await expectAccessible(luis, 'the full-size image view');
    await screenshot(luis.locator('body'), 'widget-image-viewer-light');
    // Escape closes it, and focus goes back to the thumbnail.
    await dialog.locator('button').focus();
    await luis.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focusedLabel()).toBe('button:View pasted.png:false');
    // The Close button closes it too.
    await luis.keyboard.press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focusedLabel()).toBe('button:View pasted.png:false');

    // A file other than an image shows as a link with its name and size.
    hold.open();
    const [again] = await Promise.all([luis.waitForEvent('filechooser'), luis.getByRole('button', { name: 'Attach files' }).click()]);
    await again.setFiles({ name: PDF.name, mimeType: PDF.type, buffer: Buffer.from(PDF.bytes) });
    await expect.poll(async () => (await drafts(luis)).map((d) => d.progress)).toEqual([undefined]);
    await luis.locator('chat-room #input').press('Enter');
    const link = ana.locator('chat-room [role=article] a.file');
    await expect.poll(async () => (await link.textContent())?.trim()).toBe(`${PDF.name} (${PDF.bytes.length} bytes)`);
    expect(await link.getAttribute('href')).toMatch(/\/chat\/uploads\/[\w-]+\.pdf$/u);
    await expectAccessible(ana, 'a message with a PDF');
    expect(await errorCodes(ana)).toEqual([]);
  }, 60_000);

  it("shows the server's refusal on the file (too large, not the type it says) and fires chat-error; a refused file can be removed", async () => {
    const { open, browser } = await startSite(SMALL_MAX_BYTES);
    // The browser itself logs the refused requests: 413 for the size, 400 for the content.
    const { context, errors } = await contextExpecting(
      browser,
      /Failed to load resource: the server responded with a status of (413|400)/u,
    );
    const ana = await open({ room: 'files', name: 'Ana', uploads: '', lang: 'es' }, context);
    await expect.poll(() => ana.getByRole('button', { name: 'Adjuntar archivos' }).isEnabled()).toBe(true);
    const [chooser] = await Promise.all([ana.waitForEvent('filechooser'), ana.getByRole('button', { name: 'Adjuntar archivos' }).click()]);
    await chooser.setFiles([
      { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(SMALL_MAX_BYTES + 1) },
      { name: HTML_AS_PNG.name, mimeType: 'image/png', buffer: Buffer.from(HTML_AS_PNG.bytes) },
    ]);
    await expect
      .poll(() => drafts(ana))
      .toEqual([
        // The server's sentences are English ('Files can be at most 64 KB.'): a Spanish widget says its own.
        { name: 'huge.png', preview: 'blob:', progress: undefined, error: 'Este archivo es más grande de lo que se puede subir aquí.' },
        { name: HTML_AS_PNG.name, preview: 'blob:', progress: undefined, error: 'Este tipo de archivo no se puede subir aquí.' },
      ]);
    expect((await errorCodes(ana)).sort()).toEqual(['PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED']);
    // The banner stays for the connection: the reasons are on the files.
    expect(await ana.locator('chat-room [part=banner]').count()).toBe(0);
    await expectAccessible(ana, 'two files refused by the server (es)');
    await shoot(ana, 'widget-upload-refused-es');
    // Nothing to send: Enter sends nothing; the files can be removed.
    await ana.locator('chat-room #input').press('Enter');
    expect(await ana.locator('chat-room [role=article]').count()).toBe(0);
    await ana.getByRole('button', { name: 'Quitar huge.png' }).click();
    await ana.getByRole('button', { name: `Quitar ${HTML_AS_PNG.name}` }).click();
    await expect.poll(() => drafts(ana)).toEqual([]);
    expect(errors, 'unexpected errors in the page').toEqual([]);
  });

  it('a file picked while the upload code loads stays with its room: shown in another room meanwhile, it is dropped', async () => {
    const { open } = await startSite();
    const ana = await open({ room: 'one', name: 'Ana', uploads: '' });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await ana.route('**/chat-room.uploads.js', async (route) => {
      await held;
      await route.continue();
    });
    const pick = async (name: string) => {
      const [chooser] = await Promise.all([ana.waitForEvent('filechooser'), ana.getByRole('button', { name: 'Attach files' }).click()]);
      await chooser.setFiles({ name, mimeType: PDF.type, buffer: Buffer.from(PDF.bytes) });
    };
    await pick('for-room-one.pdf');
    await widget(ana).evaluate((el) => el.setAttribute('room', 'two'));
    await expect.poll(() => widget(ana).evaluate((el) => (el as HTMLElement & { chatRoom?: { id: string } }).chatRoom?.id)).toBe('two');
    release();
    await expect.poll(() => fetchedScripts(ana)).toEqual(['/chat-room.min.js', '/chat-room.uploads.js']);
    // The code is in: a file picked now is the tray's only one.
    await pick('for-room-two.pdf');
    await expect.poll(async () => (await drafts(ana)).map((d) => d.name)).toEqual(['for-room-two.pdf']);
  });

  it('without the uploads attribute there is no attach button, and a pasted file is not taken', async () => {
    const { open } = await startSite();
    const ana = await open({ room: 'files', name: 'Ana' });
    await expect.poll(() => ana.locator('chat-room #input').isEnabled()).toBe(true);
    expect(await ana.locator('chat-room [part=attach-button]').count()).toBe(0);
    const file = await makeImage(ana, 'pasted.png', 40, 40);
    const taken = await ana.locator('chat-room #input').evaluate((box, file) => {
      const data = new DataTransfer();
      data.items.add(file);
      return !box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, file);
    expect(taken).toBe(false);
    expect(await drafts(ana)).toEqual([]);
  });
});
