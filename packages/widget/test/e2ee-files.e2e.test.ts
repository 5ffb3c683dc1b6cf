import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, screenshot, skipWithoutChromium, revoked, watchRevoked } from '../../../test-support/browser.js';
import { Gate } from '../../../test-support/gate.js';
import { bytesAt, drawImage } from '../../../test-support/page-files.js';
import { diskDir } from '../../../test-support/uploads.js';
import { groupHolds, startWidgetSite } from '../../../test-support/widget-site.js';

// Files in an end-to-end encrypted room (issue 28), in the script-tag widget: the sender's browser
// encrypts each file before its upload (the SDK), the others' browsers download, check and decrypt
// it (`client.e2ee.openFile`) and show an image from its bytes, another file as a link to them.

const names: Record<string, string> = { ana: 'Ana', luis: 'Luis' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};
const texts = (page: Page) => page.locator('chat-room [role=article] .text').allTextContents();
const words = (text: string | null) => text?.replace(/\s+/gu, ' ').trim();

describe.skipIf(skipWithoutChromium())('<chat-room uploads> in an end-to-end encrypted room, in Chromium', () => {
  it('a picked image and file go encrypted; the other device shows the image and a link with the same bytes; the server holds ciphertext; a changed file says so (en, es, 320 px)', async () => {
    const dir = await diskDir();
    const { open, chat } = await startWidgetSite({ authenticate, uploads: diskUploads({ dir }) }, { waitForLog: true, rest: true });
    const roomId = `clinic-${randomBytes(4).toString('hex')}`;
    await chat.createRoom({ id: roomId, options: { encrypted: true } });
    await chat.createRoom({ id: `${roomId}-plain` });
    const marker = `MARKER${randomBytes(6).toString('hex')}`;
    const report = Buffer.from(`blood test: all normal ${marker}\n`);

    const ana = await open({ room: roomId, token: 'ana', uploads: '' });
    const luis = await open({ room: roomId, token: 'luis', uploads: '' }, 320);
    await groupHolds(chat, roomId, 2);
    const image = await drawImage(ana, 480, 320);

    // Ana picks an image and a text file (a type the server would refuse in a plain room: it
    // cannot see what an encrypted file is), waits for them, and sends them with a line.
    const [chooser] = await Promise.all([ana.waitForEvent('filechooser'), ana.getByRole('button', { name: 'Attach files' }).click()]);
    await chooser.setFiles([
      { name: 'x-ray.png', mimeType: 'image/png', buffer: image },
      { name: 'results.txt', mimeType: 'text/plain', buffer: report },
    ]);
    // Both in the tray, uploaded (no progress bar left).
    const tray = () =>
      ana
        .locator('chat-room .drafts li')
        .evaluateAll((items) =>
          items.map((li) => `${li.querySelector('.draft-name')?.textContent}:${li.querySelectorAll('progress').length}`),
        );
    await expect.poll(tray, { timeout: 20_000 }).toEqual(['x-ray.png:0', 'results.txt:0']);
    await ana.locator('chat-room #input').fill('the results');
    await ana.locator('chat-room #input').press('Enter');

    // Luis's widget shows the image from its decrypted bytes, and the file as a link with its name.
    for (const page of [luis, ana]) {
      await expect.poll(() => texts(page), { timeout: 20_000 }).toEqual(['the results']);
      const img = page.locator('chat-room [role=article] .thumb img');
      await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 20_000 }).toBe(480);
      const src = (await img.getAttribute('src')) ?? '';
      expect(src).toMatch(/^blob:/u);
      expect(await bytesAt(page, src)).toBe(image.toString('base64'));
      const link = page.locator('chat-room [role=article] a.file');
      expect(words(await link.textContent())).toBe(`results.txt (${report.length} bytes)`);
      expect(await link.getAttribute('download')).toBe('results.txt');
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(/^blob:/u);
      expect(await bytesAt(page, href)).toBe(report.toString('base64'));
    }
    expect(await axeViolations(luis), 'axe-core: an encrypted image and file, opened (320 px)').toEqual([]);
    await screenshot(luis.locator('chat-room'), 'widget-e2ee-files-320');

    // A click shows the image full size, from the same bytes.
    await luis.locator('chat-room [role=article] .thumb').click();
    const dialog = luis.getByRole('dialog', { name: 'x-ray.png' });
    await expect.poll(() => dialog.locator('img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(480);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    // The server holds ciphertext only (each file with its record): not the files' bytes nor their names.
    const stored = (await readdir(dir)).filter((name) => name.endsWith('.bin'));
    expect(stored).toHaveLength(2);
    // Every file the uploads keep, in their folders too (the records of sent and unsent files).
    for (const file of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const name = join(file.parentPath, file.name);
      const bytes = await readFile(name);
      expect(bytes.includes(report), name).toBe(false);
      expect(bytes.includes(image.subarray(0, 64)), name).toBe(false);
      expect(bytes.toString('latin1'), name).not.toMatch(new RegExp(`${marker}|results\\.txt|x-ray`, 'u'));
    }
    expect(JSON.stringify(await chat.store.listMessages(roomId, { limit: 10 }))).not.toMatch(/results\.txt|x-ray/u);

    // Shown elsewhere (another room), the files' object URLs are given back to the browser.
    await watchRevoked(luis);
    const shown = [
      await luis.locator('chat-room [role=article] .thumb img').getAttribute('src'),
      await luis.locator('chat-room [role=article] a.file').getAttribute('href'),
    ];
    await luis.locator('chat-room').evaluate((el, room) => el.setAttribute('room', room), `${roomId}-plain`);
    await expect.poll(() => revoked(luis).then((urls) => urls.sort())).toEqual([...shown].sort());

    // The text's file arrives changed (a server that alters what it keeps or serves; routing also
    // keeps the browser's cache out): it is not opened, and the widget says so, in English and in
    // Spanish; the image still opens.
    const sizes = await Promise.all(stored.map(async (name) => (await readFile(join(dir, name))).length));
    const textFile = stored[sizes.indexOf(report.length + 16)]; // its bytes and GCM's 16-byte tag
    expect(textFile).toBeDefined();
    const held = new Gate();
    held.close(); // Ana's first: while it comes, the file says it is being decrypted
    for (const page of [ana, luis]) {
      await page.route(`**/chat/uploads/${textFile}`, async (route) => {
        await held.wait();
        await route.fulfill({ status: 200, body: randomBytes(report.length + 16) });
      });
    }
    const failed = (page: Page) => page.locator('chat-room [role=article] .sealed').textContent().then(words);
    const imageWidth = (page: Page) =>
      page.locator('chat-room [role=article] .thumb img').evaluate((i: HTMLImageElement) => i.naturalWidth);
    await ana.reload();
    await expect.poll(() => failed(ana), { timeout: 20_000 }).toBe('Decrypting results.txt…');
    expect(await axeViolations(ana), 'axe-core: an encrypted file being decrypted').toEqual([]);
    held.open();
    await expect
      .poll(() => failed(ana), { timeout: 20_000 })
      .toBe("results.txt can't be opened on this device: it could not be downloaded or decrypted.");
    await expect.poll(() => imageWidth(ana), { timeout: 20_000 }).toBe(480);
    expect(await ana.locator('chat-room [role=article] a.file').count()).toBe(0);
    expect(await axeViolations(ana), 'axe-core: an encrypted file that cannot be opened').toEqual([]);
    // Luis's device comes back to the room, in Spanish.
    await luis.locator('chat-room').evaluate((el, room) => {
      el.setAttribute('lang', 'es');
      el.setAttribute('room', room);
    }, roomId);
    await expect
      .poll(() => failed(luis), { timeout: 20_000 })
      .toBe('No se puede abrir results.txt en este dispositivo: no se pudo descargar o descifrar.');
    await expect.poll(() => imageWidth(luis), { timeout: 20_000 }).toBe(480);
    expect(await axeViolations(luis), 'axe-core: an encrypted file that cannot be opened (es, 320 px)').toEqual([]);
    await screenshot(luis.locator('chat-room'), 'widget-e2ee-file-failed-es-320');
  }, 120_000);
});
