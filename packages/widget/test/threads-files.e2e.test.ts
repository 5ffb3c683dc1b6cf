import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { diskUploads } from '@chat/server';
import { axeViolations, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { bytesAt, drawImage } from '../../../test-support/page-files.js';
import { diskDir } from '../../../test-support/uploads.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';
import { PDF } from '../../server/src/capabilities/uploads/upload-fixtures.js';

// Files and mentions in the thread panel, in Chromium against a real server with disk uploads:
// the thread composer attaches files (attach button, its own tray) and offers the room's people on
// `@` (a listbox the text box points at, the keys of the room composer), the reply carries its
// `mentions` and files, and both widgets draw the files as the log does (a thumbnail that opens
// full size, a link), with the bytes sent. English and Spanish, 320 px, axe-core on each state.
// Encrypted rooms' files in a thread: threads-e2ee-files.e2e.test.ts.

const names: Record<string, string> = { ana: 'Ana', luis: 'Luis', lucia: 'Lucía' };
const authenticate = (handshake: { auth: Record<string, unknown> }) => {
  const id = String(handshake.auth['token']);
  return { id, name: names[id] ?? id };
};
const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);
const box = (page: Page) => el(page, '#thread-input');
const replies = async (page: Page) => (await el(page, '.thread-log li .said').allTextContents()).map((t) => t.trim());
const options = (page: Page) =>
  el(page, '.thread #mentions [role=option]').evaluateAll((items) => items.map((o) => o.lastElementChild?.textContent?.trim()));
const words = (text: string | null) => text?.replace(/\s+/gu, ' ').trim();
const tray = (page: Page) =>
  el(page, '.thread .drafts li').evaluateAll((items) =>
    items.map((li) => `${li.querySelector('.draft-name')?.textContent}:${li.querySelectorAll('progress').length}`),
  );

/** A room with a parent message and a first reply (so it has a reply count to open it by), people who can be mentioned. */
async function siteWithThread() {
  const dir = await diskDir();
  const site = await startWidgetSite({ authenticate, uploads: diskUploads({ dir }) }, { waitForLog: true, rest: true });
  const parent = await site.chat.sendMessage('venue', { user: { id: 'lucia', name: 'Lucía' }, text: 'Photos of the venue?' });
  await site.chat.sendMessage('venue', { user: { id: 'lucia', name: 'Lucía' }, text: 'Anyone?', threadOf: parent.id });
  return { ...site, parent };
}

async function openThread(page: Page) {
  await el(page, '[part=thread-count]').click();
  await expect.poll(() => replies(page)).toContain('Anyone?');
  await expect.poll(() => box(page).evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
}

describe.skipIf(skipWithoutChromium())('<chat-room> files and mentions in a thread, in Chromium', { timeout: 120_000 }, () => {
  it('a reply with @ someone and two files: mentions sent, files shown to both with the bytes sent (en, es, 320 px)', async () => {
    const { open, chat, parent } = await siteWithThread();
    const ana = await open({ room: 'venue', token: 'ana', uploads: '' });
    const luis = await open({ room: 'venue', token: 'luis', uploads: '', lang: 'es' }, 320);
    await expect.poll(() => ana.locator('chat-room header button[aria-controls=members]').textContent()).toContain('2');
    await openThread(ana);
    const image = await drawImage(ana, 480, 320);

    // `@Lui` offers Luis (not Ana herself) in a listbox the text box points at; Enter chooses.
    await ana.keyboard.type('@Lui');
    await expect.poll(() => options(ana)).toEqual(['Luis']);
    expect(await el(ana, '.thread #mentions').getAttribute('aria-label')).toBe('People to mention');
    expect(await box(ana).getAttribute('aria-controls')).toBe('mentions');
    expect(await box(ana).getAttribute('aria-activedescendant')).toBe('mention-0');
    expect(await el(ana, '#mention-0').getAttribute('aria-selected')).toBe('true');
    expect(await axeViolations(ana), 'axe-core: the thread composer offering people').toEqual([]);
    await screenshot(el(ana, '.frame'), 'widget-thread-mention');
    // Escape closes the list, not the thread.
    await ana.keyboard.press('Escape');
    await expect.poll(() => el(ana, '#mentions').count()).toBe(0);
    expect(await el(ana, '[part=thread]').count()).toBe(1);
    await ana.keyboard.type('s');
    await expect.poll(() => options(ana)).toEqual(['Luis']);
    await ana.keyboard.press('Enter');
    expect(await box(ana).inputValue()).toBe('@Luis ');
    await expect.poll(() => el(ana, '#mentions').count()).toBe(0);
    await ana.keyboard.type('here they are');

    // The thread's own attach button (the room composer's stays apart) picks an image and a PDF.
    const attach = el(ana, '[part=thread]').getByRole('button', { name: 'Attach files' });
    const [chooser] = await Promise.all([ana.waitForEvent('filechooser'), attach.click()]);
    await chooser.setFiles([
      { name: 'venue.png', mimeType: 'image/png', buffer: image },
      { name: PDF.name, mimeType: PDF.type, buffer: Buffer.from(PDF.bytes) },
    ]);
    await expect.poll(() => tray(ana), { timeout: 20_000 }).toEqual(['venue.png:0', `${PDF.name}:0`]);
    expect(await el(ana, '.composer:not(.thread .composer) .drafts').count()).toBe(0);
    expect(await axeViolations(ana), 'axe-core: the thread composer with two files ready').toEqual([]);
    await screenshot(el(ana, '.frame'), 'widget-thread-files-tray');
    await box(ana).press('Enter');
    await expect.poll(() => replies(ana)).toEqual(['Anyone?', '@Luis here they are']);
    await expect.poll(() => tray(ana)).toEqual([]);

    // Stored (the line above may still be the pending reply) with Luis's id in `mentions` and the two files.
    const storedReply = async (text: string) =>
      (await chat.store.listMessages('venue', { threadOf: parent.id, limit: 10 })).messages.find((m) => m.text === text);
    await expect.poll(async () => (await storedReply('@Luis here they are'))?.mentions).toEqual(['luis']);
    expect((await storedReply('@Luis here they are'))?.attachments?.map((a) => a.name)).toEqual(['venue.png', PDF.name]);

    // Both widgets draw the files as the log does, with the bytes sent; Luis's in Spanish at 320 px.
    for (const page of [ana, luis]) {
      if (page === luis) await openThread(luis);
      const item = el(page, '.thread-log li').last();
      const img = item.locator('.thumb img');
      await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 20_000 }).toBe(480);
      expect(await bytesAt(page, (await img.getAttribute('src')) ?? '')).toBe(image.toString('base64'));
      const link = item.locator('a.file');
      expect(words(await link.textContent())).toMatch(new RegExp(`^${PDF.name.replace(/[().]/gu, '\\$&')} \\(\\d+ bytes\\)$`, 'u'));
      expect(await bytesAt(page, (await link.getAttribute('href')) ?? '')).toBe(Buffer.from(PDF.bytes).toString('base64'));
    }
    expect(await el(luis, '.thread .thumb').getAttribute('aria-label')).toBe('Ver venue.png');
    expect(await el(luis, '[part=thread]').getByRole('button', { name: 'Adjuntar archivos' }).count()).toBe(1);
    expect((await el(luis, '[part=thread]').boundingBox())?.width).toBeLessThanOrEqual(320);
    expect(await axeViolations(luis), 'axe-core: a reply with files in the thread (es, 320 px)').toEqual([]);
    await screenshot(el(luis, '.frame'), 'widget-thread-files-es-320');

    // The thumbnail opens the image full size; closing gives focus back to it.
    await el(luis, '.thread .thumb').click();
    const dialog = luis.getByRole('dialog', { name: 'venue.png' });
    await expect.poll(() => dialog.locator('img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(480);
    expect(await axeViolations(luis), 'axe-core: a thread image full size (es)').toEqual([]);
    await dialog.getByRole('button', { name: 'Cerrar' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => luis.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.className)).toBe('thumb');

    // Luis mentions Ana back, in Spanish, from the keyboard: the list, its label, Tab to choose.
    await box(luis).focus();
    await luis.keyboard.type('gracias @an');
    await expect.poll(() => options(luis)).toEqual(['Ana']);
    expect(await el(luis, '.thread #mentions').getAttribute('aria-label')).toBe('Personas para mencionar');
    expect(await axeViolations(luis), 'axe-core: people offered in the thread (es, 320 px)').toEqual([]);
    await luis.keyboard.press('Tab');
    await luis.keyboard.press('Enter');
    await expect.poll(() => replies(luis)).toEqual(['Anyone?', '@Luis here they are', 'gracias @Ana']);
    await expect.poll(async () => (await storedReply('gracias @Ana'))?.mentions).toEqual(['ana']);
  });

  it('files only (no text) go; a reply waits for a file still uploading, and says so', async () => {
    const { open } = await siteWithThread();
    const ana = await open({ room: 'venue', token: 'ana', uploads: '' });
    await openThread(ana);
    const image = await drawImage(ana, 64, 48);
    // The upload is held at the server: Enter does not send yet, the status line says why.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await ana.route('**/chat/uploads', async (route) => {
      await held;
      await route.continue();
    });
    const [chooser] = await Promise.all([
      ana.waitForEvent('filechooser'),
      el(ana, '[part=thread]').getByRole('button', { name: 'Attach files' }).click(),
    ]);
    await chooser.setFiles([{ name: 'plan.png', mimeType: 'image/png', buffer: image }]);
    await expect.poll(() => tray(ana)).toEqual(['plan.png:1']);
    await box(ana).press('Enter');
    await expect.poll(() => el(ana, '[part=thread] [role=status]').textContent()).toBe('Wait until the files are uploaded, then send.');
    expect(await replies(ana)).toEqual(['Anyone?']);
    expect(await axeViolations(ana), 'axe-core: a file uploading in the thread').toEqual([]);
    release();
    await expect.poll(() => tray(ana)).toEqual(['plan.png:0']);
    await box(ana).press('Enter');
    await expect.poll(() => el(ana, '.thread-log li').count()).toBe(2);
    const img = el(ana, '.thread-log li').last().locator('.thumb img');
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(64);
    expect(await bytesAt(ana, (await img.getAttribute('src')) ?? '')).toBe(image.toString('base64'));
  });

  it('files dropped on the open thread panel go to its composer, not the room composer; dropped outside it, to the room', async () => {
    const { open } = await siteWithThread();
    const ana = await open({ room: 'venue', token: 'ana', uploads: '' });
    await openThread(ana);
    const image = await drawImage(ana, 64, 48);
    const transfer = (name: string) =>
      ana.evaluateHandle(
        ({ bytes, name }) => {
          const data = new DataTransfer();
          data.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], name, { type: 'image/png' }));
          return data;
        },
        { bytes: image.toString('base64'), name },
      );
    const roomTray = () =>
      el(ana, '.composer:not(.thread .composer) .drafts li').evaluateAll((items) =>
        items.map((li) => `${li.querySelector('.draft-name')?.textContent}:${li.querySelectorAll('progress').length}`),
      );
    // As a pointer drags: over the panel (the room's drop notice then covers everything), dropped
    // on the notice where the panel is.
    const panel = (await el(ana, '[part=thread]').boundingBox())!;
    const onPanel = await transfer('on-the-thread.png');
    await el(ana, '[part=thread]').dispatchEvent('dragover', { dataTransfer: onPanel });
    await expect.poll(() => el(ana, '.drop').count()).toBe(1);
    const at = { clientX: panel.x + panel.width / 2, clientY: panel.y + panel.height / 2 };
    await el(ana, '.drop').dispatchEvent('drop', { dataTransfer: onPanel, ...at });
    await expect.poll(() => el(ana, '.drop').count()).toBe(0);
    await expect.poll(() => tray(ana), { timeout: 20_000 }).toEqual(['on-the-thread.png:0']);
    expect(await roomTray()).toEqual([]);
    expect(await axeViolations(ana), 'axe-core: a file dropped on the thread panel').toEqual([]);

    // Dropped outside the panel (on the room composer, under it): the room composer takes it.
    const onRoom = await transfer('on-the-room.png');
    const composer = el(ana, 'form[part=composer]');
    const below = (await composer.boundingBox())!;
    expect(below.y).toBeGreaterThanOrEqual(panel.y + panel.height);
    await composer.dispatchEvent('dragover', { dataTransfer: onRoom });
    await el(ana, '.drop').dispatchEvent('drop', { dataTransfer: onRoom, clientX: below.x + 4, clientY: below.y + below.height / 2 });
    await expect.poll(() => roomTray(), { timeout: 20_000 }).toEqual(['on-the-room.png:0']);
    expect(await tray(ana)).toEqual(['on-the-thread.png:0']);
  });
});
