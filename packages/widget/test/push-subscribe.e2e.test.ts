import type { BrowserContext, Page } from 'playwright-core';
import webPushLib from 'web-push';
import { describe, expect, it } from 'vitest';
import { webPush, type ChatServerOptions } from '@chat/server';
import { axeViolations, fetchedScripts, screenshot, skipWithoutChromium } from '../../../test-support/browser.js';
import { startPushService, testDevice, type PushServiceStandIn, type TestDevice } from '../../../test-support/push-service.js';
import { okData, rawSocket, request } from '../../../test-support/servers.js';
import { el, permission, startPushSite } from './push-site.js';

// "Notify me on this device" from the click to a push and back, in Chromium. Headless Chromium
// has no push service to subscribe at, so the page's PushManager is replaced by one that hands
// out a subscription at the tests' stand-in push service, with keys the test made (its payloads
// are decrypted with them); everything else is real: the widget, its push chunk, the service
// worker's registration, the SDK, the chat server, web-push and the HTTPS request it sends.

const vapid = webPushLib.generateVAPIDKeys();

/** Users are who their token says (`token="luis"` is Luis). */
const byToken: NonNullable<ChatServerOptions['authenticate']> = ({ auth }) => {
  const id = String((auth as { token?: unknown }).token);
  return { id, name: id.charAt(0).toUpperCase() + id.slice(1) };
};

/**
 * Runs in the page before the widget: PushManager's subscribe and getSubscription as a browser
 * answers them, for one device whose subscription lives in localStorage (so a reload finds it).
 * `window.pushAsked` counts the calls of subscribe, the call that asks the visitor.
 */
function fakePushManager(subscription: TestDevice['subscription']): void {
  const stored = 'test-push-key';
  const bytes = (base64url: string) => {
    const base64 = base64url.replace(/-/gu, '+').replace(/_/gu, '/');
    return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0)).buffer;
  };
  const browserSubscription = (key: string) => ({
    endpoint: subscription.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: bytes(key) },
    toJSON: () => ({ ...subscription, expirationTime: null }),
    unsubscribe: () => Promise.resolve((localStorage.removeItem(stored), true)),
  });
  const page = window as unknown as { pushAsked: number };
  page.pushAsked = 0;
  PushManager.prototype.subscribe = function subscribe(options?: PushSubscriptionOptionsInit) {
    page.pushAsked++;
    const key = options?.applicationServerKey;
    if (typeof key !== 'string') return Promise.reject(new DOMException('A key is needed.', 'InvalidAccessError'));
    localStorage.setItem(stored, key);
    return Promise.resolve(browserSubscription(key) as unknown as PushSubscription);
  };
  PushManager.prototype.getSubscription = function getSubscription() {
    const key = localStorage.getItem(stored);
    return Promise.resolve(key === null ? null : (browserSubscription(key) as unknown as PushSubscription));
  };
}

/** A site whose server pushes to the stand-in only; a context whose pages have Luis's device. */
async function startSite(service: PushServiceStandIn, device: TestDevice) {
  const push = webPush({
    ...vapid,
    subject: 'mailto:ops@chat.example',
    allowedEndpoints: [`${service.url}/push/`],
    ...service.trust,
    url: (room) => `/page?room=${room.id}`,
  });
  const site = await startPushSite({ authenticate: byToken, push });
  const context = await site.browser.newContext({ viewport: { width: 360, height: 640 } });
  await context.addInitScript(fakePushManager, device.subscription);
  return { ...site, context };
}

const asked = (page: Page) => page.evaluate(() => (window as unknown as { pushAsked: number }).pushAsked);

/** Opens the notifications menu and waits for the push entry to say `label`. */
async function entrySays(page: Page, label: string) {
  if ((await el(page, '#notify').count()) === 0) await el(page, '.bell').click();
  const entry = el(page, '#notify button.push');
  await expect.poll(() => entry.textContent().catch(() => '')).toMatch(new RegExp(`^\\s*${label}\\s*$`, 'u'));
  return entry;
}

/** Luis's page, opened, in `lang`. */
async function openLuis(site: Awaited<ReturnType<typeof startSite>>, context: BrowserContext, lang = 'en') {
  return site.open({ token: 'luis', lang, pageLang: lang, 'push-worker': '/chat-sw.js' }, context);
}

describe.skipIf(skipWithoutChromium())('<chat-room> subscribes this device to Web Push, in Chromium', { timeout: 90_000 }, () => {
  it('the click subscribes, a message while away reaches the push service, a reload keeps the entry, and the other click stops it', async () => {
    const service = await startPushService();
    const device = testDevice(service.url, 'luis-phone');
    const site = await startSite(service, device);
    let page = await openLuis(site, site.context);
    const entry = await entrySays(page, 'Notify me on this device');
    expect(await asked(page)).toBe(0);
    await entry.click();
    await entrySays(page, 'Stop notifying this device');
    expect(await asked(page)).toBe(1);
    expect(await site.chat.store.listPushSubscriptions(['luis'])).toMatchObject([
      { userId: 'luis', endpoint: device.subscription.endpoint, keys: device.subscription.keys },
    ]);
    // The host's service worker is what the subscription was made with.
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.active?.scriptURL))).toBe(
      `${site.url}/chat-sw.js`,
    );
    expect(await axeViolations(page), 'axe-core: subscribed').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-subscribed-light');

    // A reload: the menu says this device is subscribed, and nothing asks the visitor again.
    await page.reload();
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    await entrySays(page, 'Stop notifying this device');
    expect(await asked(page)).toBe(0);
    expect(await permission(page)).toEqual(['default', 'prompt']);

    // Luis goes away; Ana mentions him: the push service gets the push, for his keys.
    await page.close();
    await expect.poll(async () => (await site.chat.presenceOf(['luis']))[0]?.online).toBe(false);
    const ana = await rawSocket(site.url, { token: 'ana' });
    okData(await request(ana, 'room:join', { roomId: 'lobby' }));
    const sent = okData(
      await request(ana, 'message:send', { roomId: 'lobby', clientId: 'c1', text: '@Luis ¿vienes?', mentions: ['luis'] }),
    ).message;
    await expect.poll(() => service.requests.length).toBe(1);
    expect(service.requests[0]?.path).toBe('/push/luis-phone');
    expect(device.read(service.requests[0] as (typeof service.requests)[number])).toMatchObject({
      title: 'Ana',
      body: '@Luis ¿vienes?',
      roomId: 'lobby',
      messageId: sent.id,
      reason: 'mention',
      url: '/page?room=lobby',
    });

    // Back on the page: the other click stops pushes to this device, on the server and in the browser.
    page = await openLuis(site, site.context);
    const stop = await entrySays(page, 'Stop notifying this device');
    await stop.click();
    await entrySays(page, 'Notify me on this device');
    expect(await site.chat.store.listPushSubscriptions(['luis'])).toEqual([]);
    expect(await axeViolations(page), 'axe-core: not subscribed').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-unsubscribed-light');
    await page.reload();
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    await entrySays(page, 'Notify me on this device');
    expect(await asked(page)).toBe(0);
    // The push chunk brought the SDK's push part with it: one file (besides the menu's, chat-room.panels.js).
    expect((await fetchedScripts(page)).sort()).toEqual(['/chat-room.min.js', '/chat-room.panels.js', '/chat-room.push.js']);
  });

  it('a click answered after the bound still subscribes, and a late failure of an earlier click changes nothing', async () => {
    const service = await startPushService();
    const device = testDevice(service.url, 'luis-laptop');
    const site = await startSite(service, device);
    // The browser holds each subscribe until the test lets it go (window.held[i].release() or .fail()).
    await site.context.addInitScript(() => {
      const page = window as unknown as { held: { release(): void; fail(): void }[] };
      page.held = [];
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the fake's subscribe, called below with the page's own `this`
      const answer = PushManager.prototype.subscribe;
      PushManager.prototype.subscribe = function held(this: PushManager, options?: PushSubscriptionOptionsInit) {
        return new Promise<PushSubscription>((resolve, reject) => {
          page.held.push({
            release: () => resolve(answer.call(this, options)),
            fail: () => reject(new DOMException('Registration failed - permission denied', 'AbortError')),
          });
        });
      };
    });
    const page = await site.open({ token: 'luis', 'push-worker': '/chat-sw.js', 'data-test-push-bound': '1000' }, site.context);
    const held = () => page.evaluate(() => (window as unknown as { held: unknown[] }).held.length);
    const letGo = (i: number, how: 'release' | 'fail') =>
      page.evaluate(({ i, how }) => (window as unknown as { held: Record<'release' | 'fail', () => void>[] }).held[i]?.[how](), { i, how });
    const entry = await entrySays(page, 'Notify me on this device');
    const why = el(page, '#push-why');
    const slow = 'No push service answered this browser. Check the connection and try again.';

    // Two clicks, each past the bound.
    await entry.click();
    await expect.poll(held).toBe(1);
    await expect.poll(() => why.textContent(), { timeout: 10_000 }).toBe(slow);
    await entry.click();
    await expect.poll(held).toBe(2);
    await expect.poll(() => why.textContent()).toBe('Turning on notifications…');
    // The first answers late: this device is subscribed, whatever the second click is doing.
    await letGo(0, 'release');
    await entrySays(page, 'Stop notifying this device');
    expect(await why.textContent()).toBe('');
    await expect.poll(() => site.chat.store.listPushSubscriptions(['luis'])).toHaveLength(1);
    // The second fails later still: the entry stays as the success left it.
    await letGo(1, 'fail');
    // Its handlers are promise callbacks: all of them have run once the page has drawn its next frame.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
    await entrySays(page, 'Stop notifying this device');
    expect(await why.textContent()).toBe('');
    expect(await axeViolations(page), 'axe-core: subscribed after the bound').toEqual([]);
  });

  it('in Spanish: subscribed, after a reload, and stopped', async () => {
    const service = await startPushService();
    const device = testDevice(service.url, 'luis-tablet');
    const site = await startSite(service, device);
    const page = await openLuis(site, site.context, 'es');
    await (await entrySays(page, 'Avisarme en este dispositivo')).click();
    await entrySays(page, 'Dejar de avisar en este dispositivo');
    expect(await site.chat.store.listPushSubscriptions(['luis'])).toHaveLength(1);
    expect(await axeViolations(page), 'axe-core: subscribed, in Spanish').toEqual([]);
    await screenshot(el(page, '#notify'), 'widget-push-subscribed-es');
    await page.reload();
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    await (await entrySays(page, 'Dejar de avisar en este dispositivo')).click();
    await entrySays(page, 'Avisarme en este dispositivo');
    expect(await asked(page)).toBe(0);
    expect(await site.chat.store.listPushSubscriptions(['luis'])).toEqual([]);
    expect(await axeViolations(page), 'axe-core: stopped, in Spanish').toEqual([]);
  });
});
