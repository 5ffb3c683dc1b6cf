import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, revoked, screenshot, skipWithoutChromium, watchRevoked } from '../../../test-support/browser.js';
import { Gate } from '../../../test-support/gate.js';
import { bytesAt, drawImage } from '../../../test-support/page-files.js';
import { diskDir } from '../../../test-support/uploads.js';
import { groupHolds, startWidgetSite } from '../../../test-support/widget-site.js';

// Files in a thread of an end-to-end encrypted room, in Chromium: the thread composer's files are
// encrypted in the browser before their upload (as the room composer's), and the thread panel
// opens them on each device as the log does: an image from an object URL of its decrypted bytes,
// another file a link to them, "Decrypting…" meanwhile, a sentence when one cannot be opened, the
// object URLs revoked once the thread is closed. English and Spanish, 320 px, axe-core on each state.

const names: Record<string, string> = { ana: 'Ana', luis: 'Luis' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};
const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const texts = (page: Page) => el(page, '[role=article] .text').allTextContents();
const replies = async (page: Page) => (await el(page, '.thread-log li .said').allTextContents()).map((t) => t.trim());
const words = (text: string | null) => text?.replace(/\s+/gu, ' ').trim();
const reply = (page: Page) => el(page, '.thread-log li').last();
const imageWidth = (page: Page) =>
  reply(page)
    .locator('.thumb img')
    .evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth);

describe.skipIf(skipWithoutChromium())('<chat-room> files in a thread of an encrypted room, in Chromium', () => {
  it('a reply with an image and a file goes encrypted; both devices open them in the thread with the bytes sent; the server holds ciphertext', async () => {
    const dir = await diskDir();
    const { open, chat } = await startWidgetSite({ authenticate, uploads: diskUploads({ dir }) }, { waitForLog: true, rest: true });
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const report = Buffer.from(`blood test: all normal ${marker}\n`);
    const ana = await open({ room: roomId, token: 'ana', uploads: '' });
    const luis = await open({ room: roomId, token: 'luis', uploads: '' }, 320);
    await groupHolds(chat, roomId, 2);
    const image = await drawImage(ana, 480, 320);

    // Ana posts the parent, and opens its thread from the message's actions.
    await el(ana, '#input').fill('the results?');
    await el(ana, '#input').press('Enter');
    await expect.poll(() => texts(luis), { timeout: 20_000 }).toEqual(['the results?']);
    await el(ana, '[role=article]').focus();
    await ana.keyboard.press('Enter');
    await el(ana, '[role=article] .actions').getByRole('button', { name: 'Reply in thread' }).click();
    await expect.poll(() => el(ana, '[part=thread] .notice').textContent()).toBe('No replies yet. Start the thread.');

    // Her thread composer picks an image and a text file, and sends them with a line.
    const [chooser] = await Promise.all([
      ana.waitForEvent('filechooser'),
      el(ana, '[part=thread]').getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles([
      { name: 'x-ray.png', mimeType: 'image/png', buffer: image },
      { name: 'results.txt', mimeType: 'text/plain', buffer: report },
    ]);
    const tray = () =>
      el(ana, '.thread .drafts li').evaluateAll((items) =>
        items.map((li) => `${li.querySelector('.draft-name')?.textContent}:${li.querySelectorAll('progress').length}`),
      );
    await expect.poll(tray, { timeout: 20_000 }).toEqual(['x-ray.png:0', 'results.txt:0']);
    await el(ana, '#thread-input').fill('here');
    await el(ana, '#thread-input').press('Enter');
    await expect.poll(() => replies(ana), { timeout: 20_000 }).toEqual(['here']);

    // Luis opens the thread by its reply count; both devices show the files from their decrypted bytes.
    await el(luis, '[part=thread-count]').click();
    for (const page of [ana, luis]) {
      await expect.poll(() => replies(page), { timeout: 20_000 }).toEqual(['here']);
      await expect.poll(() => imageWidth(page), { timeout: 20_000 }).toBe(480);
      const src = (await reply(page).locator('.thumb img').getAttribute('src')) ?? '';
      expect(src).toMatch(/^blob:/u);
      expect(await bytesAt(page, src)).toBe(image.toString('base64'));
      const link = reply(page).locator('a.file');
      expect(words(await link.textContent())).toBe(`results.txt (${report.length} bytes)`);
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/^blob:/u);
      expect(await bytesAt(page, href)).toBe(report.toString('base64'));
    }
    expect(await axeViolations(luis), 'axe-core: encrypted files opened in a thread (320 px)').toEqual([]);
    await screenshot(el(luis, '.frame'), 'widget-thread-e2ee-files-320');

    // The server holds ciphertext only: not the files' bytes nor their names.
    for (const file of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const bytes = await readFile(join(file.parentPath, file.name));
      expect(bytes.includes(report), file.name).toBe(false);
      expect(bytes.includes(image.subarray(0, 64)), file.name).toBe(false);
      expect(bytes.toString('latin1'), file.name).not.toMatch(new RegExp(`${marker}|results\\.txt|x-ray`, 'u'));
    }

    // The thread closed, its files' object URLs are given back to the browser.
    await watchRevoked(luis);
    const shown = [await reply(luis).locator('.thumb img').getAttribute('src'), await reply(luis).locator('a.file').getAttribute('href')];
    await el(luis, '#thread-input').press('Escape');
    await expect.poll(() => el(luis, '[part=thread]').count()).toBe(0);
    await expect.poll(() => revoked(luis).then((urls) => urls.sort())).toEqual([...shown].sort());

    // The text's file now arrives changed (held first: "Decrypting…" meanwhile), in Spanish: the
    // thread says it cannot be opened on this device; the image still opens.
    const stored = (await readdir(dir)).filter((name) => name.endsWith('.bin'));
    const sizes = await Promise.all(stored.map(async (name) => (await readFile(join(dir, name))).length));
    const textFile = stored[sizes.indexOf(report.length + 16)]; // its bytes and GCM's 16-byte tag
    expect(textFile).toBeDefined();
    const held = new Gate();
    held.close();
    await luis.route(`**/chat/uploads/${textFile}`, async (route) => {
      await held.wait();
      await route.fulfill({ status: 200, body: randomBytes(report.length + 16) });
    });
    await luis.locator('chat-room').evaluate((element) => element.setAttribute('lang', 'es'));
    await el(luis, '[part=thread-count]').click();
    const sealed = () => reply(luis).locator('.sealed').textContent().then(words);
    await expect.poll(sealed, { timeout: 20_000 }).toBe('Descifrando results.txt…');
    expect(await axeViolations(luis), 'axe-core: an encrypted file being decrypted in a thread (es, 320 px)').toEqual([]);
    held.open();
    await expect
      .poll(sealed, { timeout: 20_000 })
      .toBe('No se puede abrir results.txt en este dispositivo: no se pudo descargar o descifrar.');
    await expect.poll(() => imageWidth(luis), { timeout: 20_000 }).toBe(480);
    expect(await reply(luis).locator('a.file').count()).toBe(0);
    expect(await axeViolations(luis), 'axe-core: an encrypted file that cannot be opened, in a thread (es, 320 px)').toEqual([]);
    await screenshot(el(luis, '.frame'), 'widget-thread-e2ee-file-failed-es-320');
  }, 120_000);
});
