import type { Page } from 'playwright-core';
import webPushLib from 'web-push';
import { describe, expect, it } from 'vitest';
import { webPush } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { contextExpecting } from './expected-errors.js';
import { el, permission, startPushSite } from './push-site.js';

// "Notify me on this device" in the script-tag widget, in Chromium: the notifications menu of a
// widget with `push-worker`, next to a server with (and without) the `push` option. A Playwright
// context is like a private window: Chromium has no push service there and refuses
// `pushManager.subscribe` ("Registration failed - permission denied", whatever the permission),
// so what is checked for real is everything up to and including that refusal: the entry only
// with the attribute and a server that pushes, the chunk loaded when the menu opens, the browser
// not asked before the click, and which sentence the widget says, in its language: this window
// cannot receive notifications (permission granted or not asked), the person refused them
// (permission denied), or no push service answered within the bound (a subscribe that never
// settles, as with a profile and no reachable push service).
const vapid = webPushLib.generateVAPIDKeys();

/** What the widget says when the browser window cannot receive push (not a refusal). */
const UNAVAILABLE = 'This browser window cannot receive notifications (a private window, for example). Try in a normal window.';
/** What it says when the person did not allow notifications. */
const DENIED = 'To be notified on this device, allow notifications for this site in your browser settings.';
/** While a click is being answered, and when it was not within the bound. */
const WORKING = 'Turning on notifications…';
const SLOW = 'No push service answered this browser. Check the connection and try again.';

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
    // Not asked yet, and no push service in this window: not a refusal of the person's.
    await expect.poll(() => why.textContent()).toBe(UNAVAILABLE);
    // The click registered the host's service worker, and the widget stays usable: the button is there to try again.
    expect(
      await page.evaluate(() =>
        navigator.serviceWorker.getRegistration().then((r) => r?.active?.scriptURL ?? r?.installing?.scriptURL ?? r?.waiting?.scriptURL),
      ),
    ).toBe(`${site.url}/chat-sw.js`);
    expect(await entry.textContent()).toMatch(/Notify me on this device/u);
    expect(await site.chat.store.listPushSubscriptions([])).toEqual([]);
    expect(await axeViolations(page), 'axe-core: no push in this window').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-unavailable-light');
    expect(errors).toEqual([]);
  });

  it('in Spanish, the entry and its sentence are in Spanish', async () => {
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
      .toBe('Esta ventana del navegador no puede recibir notificaciones (por ejemplo, una ventana privada). Prueba en una ventana normal.');
    expect(errors).toEqual([]);
    expect(await axeViolations(page), 'axe-core: no push in this window, in Spanish').toEqual([]);
  });

  it('with the permission granted, a window without a push service says so, not that notifications are refused', async () => {
    const site = await startSite();
    const { context, errors } = await contextExpecting(site.browser, INCOGNITO);
    await context.grantPermissions(['notifications'], { origin: site.url });
    const page = await site.open({ name: 'Ana', 'push-worker': '/chat-sw.js' }, context);
    await el(page, '.bell').click();
    const entry = el(page, '#notify button.push');
    await expect.poll(() => entry.textContent().catch(() => '')).toMatch(/^\s*Notify me on this device\s*$/u);
    expect(await permission(page)).toEqual(['granted', 'granted']);
    await entry.click();
    const why = el(page, '#push-why');
    await expect.poll(() => why.textContent()).toBe(UNAVAILABLE);
    expect(await why.textContent()).not.toBe(DENIED);
    expect(await entry.textContent()).toMatch(/Notify me on this device/u);
    expect(await site.chat.store.listPushSubscriptions([])).toEqual([]);
    expect(await axeViolations(page), 'axe-core: no push in this window, permission granted').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('with the permission denied, the entry says to allow notifications, before and after the click', async () => {
    const site = await startSite();
    const { context, errors } = await contextExpecting(site.browser, INCOGNITO);
    // Playwright grants permissions but cannot deny one: the DevTools protocol can, for this context.
    const page = await context.newPage();
    const { targetInfo } = await (await context.newCDPSession(page)).send('Target.getTargetInfo');
    await (
      await site.browser.newBrowserCDPSession()
    ).send('Browser.setPermission', {
      permission: { name: 'notifications' },
      setting: 'denied',
      origin: site.url,
      ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
    });
    await page.close();
    const opened = await site.open({ name: 'Ana', 'push-worker': '/chat-sw.js' }, context);
    expect(await permission(opened)).toEqual(['denied', 'denied']);
    await el(opened, '.bell').click();
    const entry = el(opened, '#notify button.push');
    await expect.poll(() => entry.textContent().catch(() => '')).toMatch(/^\s*Notify me on this device\s*$/u);
    const why = el(opened, '#push-why');
    expect(await why.textContent()).toBe(DENIED);
    await entry.click();
    await expect.poll(() => opened.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(1);
    await expect.poll(() => why.textContent()).toBe(DENIED);
    expect(await entry.textContent()).toMatch(/Notify me on this device/u);
    expect(await axeViolations(opened), 'axe-core: notifications denied').toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a subscribe that never settles shows progress, then says no push service answered, and the button takes another click', async () => {
    const site = await startSite();
    const { context, errors } = await contextExpecting(site.browser, INCOGNITO);
    // As with a profile and no reachable push service: the browser never answers the subscribe.
    await context.addInitScript(() => {
      const page = window as unknown as { pushAsked: number };
      page.pushAsked = 0;
      PushManager.prototype.subscribe = function subscribe() {
        page.pushAsked++;
        return new Promise<PushSubscription>(() => undefined);
      };
    });
    // data-test-push-bound: the push chunk's bound (15 s) shortened, for the tests only.
    const page = await site.open({ name: 'Ana', 'push-worker': '/chat-sw.js', 'data-test-push-bound': '2500' }, context);
    const asked = () => page.evaluate(() => (window as unknown as { pushAsked: number }).pushAsked);
    await el(page, '.bell').click();
    const entry = el(page, '#notify button.push');
    await expect.poll(() => entry.textContent().catch(() => '')).toMatch(/^\s*Notify me on this device\s*$/u);
    const why = el(page, '#push-why');
    expect(await why.getAttribute('role')).toBe('status');

    await entry.click();
    await expect.poll(() => why.textContent(), { interval: 20 }).toBe(WORKING);
    expect(await axeViolations(page), 'axe-core: turning on').toEqual([]);
    await expect.poll(() => asked()).toBe(1);
    await expect.poll(() => why.textContent(), { timeout: 10_000 }).toBe(SLOW);
    expect(await entry.textContent()).toMatch(/Notify me on this device/u);
    expect(await axeViolations(page), 'axe-core: no push service answered').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-slow-light');

    // The button takes another click: progress again, the browser asked again, then the sentence again.
    await entry.click();
    await expect.poll(() => why.textContent(), { interval: 20 }).toBe(WORKING);
    await expect.poll(() => asked()).toBe(2);
    await expect.poll(() => why.textContent(), { timeout: 10_000 }).toBe(SLOW);
    expect(await site.chat.store.listPushSubscriptions([])).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('no entry without push-worker (and no chunk), nor when the server has no push option', async () => {
    const withPush = await startSite();
    const plain = await withPush.open({ name: 'Ana' });
    await el(plain, '.bell').click();
    // The menu drawn whole (its chunk, chat-room.panels.js, in), without the entry nor the push chunk.
    await expect.poll(() => el(plain, '#notify input[type=radio]').count()).toBe(3);
    expect(await el(plain, '#notify .push').count()).toBe(0);
    expect(await fetchedScripts(plain)).toEqual(['/chat-room.min.js', '/chat-room.panels.js']);

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
