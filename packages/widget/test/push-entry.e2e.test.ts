import type { Page } from 'playwright-core';
import webPushLib from 'web-push';
import { describe, expect, it } from 'vitest';
import { webPush } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { contextExpecting } from './expected-errors.js';
import { el, permission, startPushSite } from './push-site.js';

// "Notify me on this device" in the script-tag widget, in Chromium: the notifications menu of a
// widget with `push-worker`, next to a server with (and without) the `push` option. Headless
// Chromium refuses `pushManager.subscribe` here ("permission denied", even with the permission
// granted), so what is checked for real is everything up to and including that refusal: the
// entry only with the attribute and a server that pushes, the chunk loaded when the menu opens,
// the browser not asked before the click, and the refusal said in the widget's language.
const vapid = webPushLib.generateVAPIDKeys();

/** The site, with a server that pushes (unless `push` is false). */
const startSite = (push = true) => startPushSite(push ? { push: webPush({ ...vapid, subject: 'mailto:ops@chat.example' }) } : {});

/** What Chromium logs by itself when a page of a (private) test context subscribes. */
const INCOGNITO = /does not support the Push API in incognito mode/u;
/** The server answered the widget's GET /chat/push/key, and the widget drew what it read. */
async function keyRead(page: Page, key: Promise<unknown>) {
  await key;
  await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve)); // the body read and parsed after the response
    await (document.querySelector('chat-room') as unknown as { updateComplete: Promise<boolean> }).updateComplete;
  });
}

describe.skipIf(skipWithoutChromium())('<chat-room> "Notify me on this device" in Chromium', { timeout: 60_000 }, () => {
  it('shows the entry with push-worker and a server that pushes, asks the browser only on the click, and says its refusal', async () => {
    const site = await startSite();
    const { context, errors } = await contextExpecting(site.browser, INCOGNITO);
    const page = await site.open({ name: 'Ana', 'push-worker': '/chat-sw.js' }, context);
    // Nothing of push before the menu opens: no chunk, no service worker, no question.
    expect(await fetchedScripts(page)).toEqual(['/chat-room.min.js']);
    const key = page.waitForResponse((r) => r.url().endsWith('/chat/push/key'));
    await el(page, '.bell').click();
    const entry = el(page, '#notify button.push');
    await expect.poll(() => entry.textContent().catch(() => '')).toMatch(/^\s*Notify me on this device\s*$/u);
    expect((await key).status()).toBe(200);
    expect(await fetchedScripts(page)).toContain('/chat-room.push.js');
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
    expect(await permission(page)).toEqual(['default', 'prompt']);
    expect(await axeViolations(page), 'axe-core: the menu with the entry').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-entry-light');

    await entry.click();
    const why = el(page, '#push-why');
    await expect
      .poll(() => why.textContent())
      .toBe('To be notified on this device, allow notifications for this site in your browser settings.');
    // The click registered the host's service worker, and the widget stays usable: the button is there to try again.
    expect(
      await page.evaluate(() =>
        navigator.serviceWorker.getRegistration().then((r) => r?.active?.scriptURL ?? r?.installing?.scriptURL ?? r?.waiting?.scriptURL),
      ),
    ).toBe(`${site.url}/chat-sw.js`);
    expect(await entry.textContent()).toMatch(/Notify me on this device/u);
    expect(await site.chat.store.listPushSubscriptions([])).toEqual([]);
    expect(await axeViolations(page), 'axe-core: the refusal').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-refused-light');
    expect(errors).toEqual([]);
  });

  it('in Spanish, the entry and the refusal are in Spanish', async () => {
    const site = await startSite();
    const { context, errors } = await contextExpecting(site.browser, INCOGNITO);
    const page = await site.open({ name: 'Ana', lang: 'es', pageLang: 'es', 'push-worker': '/chat-sw.js' }, context);
    await el(page, '.bell').click();
    const entry = el(page, '#notify button.push');
    await expect.poll(() => entry.textContent().catch(() => '')).toMatch(/^\s*Avisarme en este dispositivo\s*$/u);
    expect(await permission(page)).toEqual(['default', 'prompt']);
    await entry.click();
    await expect
      .poll(() => el(page, '#push-why').textContent())
      .toBe('Para recibir avisos en este dispositivo, permite las notificaciones de este sitio en la configuración del navegador.');
    expect(errors).toEqual([]);
    expect(await axeViolations(page), 'axe-core: the refusal in Spanish').toEqual([]);
  });

  it('no entry without push-worker (and no chunk), nor when the server has no push option', async () => {
    const withPush = await startSite();
    const plain = await withPush.open({ name: 'Ana' });
    await el(plain, '.bell').click();
    // The menu drawn whole (its chunk, chat-room.panels.js, in), without the entry nor the push chunk.
    await expect.poll(() => el(plain, '#notify input[type=radio]').count()).toBe(3);
    expect(await el(plain, '#notify .push').count()).toBe(0);
    expect(await fetchedScripts(plain)).toEqual(['/chat-room.min.js', '/chat-room.panels.js', '/chat-room.texts.js']);

    const noPush = await startSite(false);
    // GET /chat/push/key answers 403 FORBIDDEN, which the browser logs by itself.
    const { context, errors } = await contextExpecting(noPush.browser, /status of 403/u);
    const page = await noPush.open({ name: 'Ana', 'push-worker': '/chat-sw.js' }, context);
    const key = page.waitForResponse((r) => r.url().endsWith('/chat/push/key'));
    await el(page, '.bell').click();
    expect((await key).status()).toBe(403);
    await keyRead(page, key);
    expect(await fetchedScripts(page)).toContain('/chat-room.push.js');
    expect(await el(page, '#notify .push').count()).toBe(0);
    expect(await el(page, '#notify').textContent()).not.toMatch(/device/u);
    expect(await permission(page)).toEqual(['default', 'prompt']);
    expect(errors).toEqual([]);
  });
});
