import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { axeViolations, launchBrowser, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { sdkClient, startChat, track } from '../../../test-support/servers.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { contextExpecting } from './expected-errors.js';

// The widget's everyday polish in the script-tag bundle, in Chromium: a page on another origin
// than a server that does not allow it, the days in the log, the people panel with statuses,
// the actions of your own message beside (not over) its name and time, and a narrow widget's
// placeholder; axe-core on each.

/** A host page with the widget, served by `http` (the chat server's, or another origin's). */
function servePage(http: Server): void {
  // The bundle, and Spanish, search, calls, the header panels (and their texts) from next to it (loaded for lang="es", on first use, for `calls`),
  // and the look for why a page cannot connect (loaded after its first tries failed).
  const { serve } = widgetFiles([
    'chat-room.origin-probe.js',
    'chat-room.languages.js',
    'chat-room.es.js',
    'chat-room.search.js',
    'chat-room.call.js',
    'chat-room.message-tools.js',
    'chat-room.panels.js',
  ]);
  http.on('request', (req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return; // the chat server answers the rest
    const attrs = [...url.searchParams]
      .map(([k, v]) => `${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
      .join(' ');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
      <style>body{margin:0} .sidebar{width:100vw;height:560px}</style></head>
      <body><div class="sidebar"><chat-room ${attrs}></chat-room></div>
      <script>window.events=[];for (const t of ['chat-join','chat-error']) document.addEventListener(t, e => window.events.push([t, JSON.parse(JSON.stringify(e.detail))]));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
}

/** A page server of its own (another origin than any chat server: another port). */
async function startPageServer(): Promise<string> {
  const http = createServer();
  servePage(http);
  http.on('request', (_req, res) => !res.writableEnded && !res.headersSent && res.writeHead(404).end());
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track(async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function startSite(options: ChatServerOptions = {}) {
  const http = createServer();
  servePage(http);
  const site = await startChat({ presenceCoalesceMs: 20, ...options }, http);
  const browser = await launchBrowser();
  const open = async (params: Record<string, string>, width = 360, context?: BrowserContext): Promise<Page> => {
    const page = await (context ?? (await browser.newContext({ viewport: { width, height: 600 } }))).newPage();
    await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url, ...params })}`);
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    return page;
  };
  return { ...site, browser, open };
}

async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
function shoot(page: Page, name: string) {
  return screenshot(page.locator('chat-room'), name);
}
const eventsOf = <T>(page: Page, type: string) =>
  page.evaluate((t) => (window as unknown as { events: Array<[string, T]> }).events.filter(([e]) => e === t).map(([, d]) => d), type);
const banner = (page: Page) => page.locator('chat-room [part=banner]');

describe.skipIf(skipWithoutChromium())('<chat-room> on a page of another origin, in Chromium', () => {
  it('says the server does not allow the page, in an alert, and fires chat-error FORBIDDEN; with cors it connects', async () => {
    const pageOrigin = await startPageServer();
    const refusing = await startChat(); // no cors: the browser blocks the page's requests
    const allowing = await startChat({ cors: { origin: pageOrigin } });
    const browser = await launchBrowser();
    const { context, errors } = await contextExpecting(browser, /blocked by CORS policy|net::ERR_FAILED/u);
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (m) => void (m.type() === 'warning' && warnings.push(m.text())));
    await page.goto(`${pageOrigin}/page?${new URLSearchParams({ server: refusing.url, room: 'lobby', name: 'Ana' })}`);

    // Visitors read a plain sentence; the origins are for the page's developer: chat-error and the console.
    const detail = `The chat server (${refusing.url}) does not accept connections from this page (${pageOrigin}): its cors and allowedOrigins settings must allow this page's origin.`;
    await expect.poll(() => banner(page).textContent(), { timeout: 15_000 }).toBe('The chat is not available on this page.');
    expect(await banner(page).evaluate((el) => el.parentElement?.getAttribute('role'))).toBe('alert');
    const failures = await eventsOf<{ error: { code: string; message: string } }>(page, 'chat-error');
    expect(failures.map((e) => e.error)).toEqual([{ code: 'FORBIDDEN', message: detail }]);
    expect(warnings).toEqual([detail]);
    await expectAccessible(page, 'the banner of a page the server does not allow');
    await shoot(page, 'widget-cross-origin-light');
    expect(errors, 'unexpected errors in the page').toEqual([]);

    // The same page, with a server whose cors allows it: it joins, no banner.
    const ok = await context.newPage();
    await ok.goto(`${pageOrigin}/page?${new URLSearchParams({ server: allowing.url, room: 'lobby', name: 'Ana' })}`);
    await expect.poll(() => eventsOf(ok, 'chat-join').then((e) => e.length)).toBe(1);
    expect(await banner(ok).count()).toBe(0);
    expect(await eventsOf(ok, 'chat-error')).toEqual([]);
  });

  it('a server that cannot be reached at all is not blamed on the origin: the banner says "Connecting…"', async () => {
    const pageOrigin = await startPageServer();
    const gone = await startChat();
    const url = gone.url;
    await gone.chat.close();
    gone.http.closeAllConnections();
    await new Promise<void>((resolve) => gone.http.close(() => resolve()));
    const browser = await launchBrowser();
    const { context, errors } = await contextExpecting(browser, /ERR_CONNECTION_REFUSED|net::ERR_FAILED/u);
    const page = await context.newPage();
    await page.goto(`${pageOrigin}/page?${new URLSearchParams({ server: url, room: 'lobby', name: 'Ana' })}`);
    // Three failed tries (the look for why happens after two) and still only "Connecting…".
    await page.evaluate(() => {
      const w = window as unknown as { tries: number };
      w.tries = 0;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- the original, called below on its own request (apply(this))
      const open = XMLHttpRequest.prototype.open;
      XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: Parameters<typeof open>) {
        w.tries++;
        return open.apply(this, args);
      } as typeof open;
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { tries: number }).tries), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(2);
    expect(await banner(page).textContent()).toBe('Connecting…');
    expect(await eventsOf(page, 'chat-error')).toEqual([]);
    expect(errors, 'unexpected errors in the page').toEqual([]);
  });
});

describe.skipIf(skipWithoutChromium())('<chat-room> everyday polish, in Chromium', () => {
  it('days in the log, the people panel with statuses and a close button, your actions beside your name', async () => {
    const { open, chat, url } = await startSite();
    await chat.createRoom({ id: 'clinic', title: 'Clínica Ruiz · recepción' });
    // Messages of three days: the server's clock is set back while it stamps the older ones.
    const now = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(now - 3 * 86_400_000);
      await chat.sendMessage('clinic', { user: { id: 'luis', name: 'Luis' }, text: 'Your results are in.' });
      vi.setSystemTime(now - 86_400_000);
      await chat.sendMessage('clinic', { user: { id: 'luis', name: 'Luis' }, text: 'Did you see them?' });
    } finally {
      vi.useRealTimers();
    }
    const luis = sdkClient(url, { auth: { name: 'Luis' } });
    await luis.join('clinic');
    await luis.setStatus('busy', 'With a patient until 4');
    const ana = await open({ room: 'clinic', name: 'Ana' }, 560);
    await ana.locator('chat-room #input').fill('Yes, thank you!');
    await ana.locator('chat-room #input').press('Enter');
    const days = ana.locator('chat-room [part=day]');
    const older = new Intl.DateTimeFormat('en', { dateStyle: 'full' }).format(new Date(now - 3 * 86_400_000));
    await expect.poll(() => days.allTextContents()).toEqual([older, 'Yesterday', 'Today']);
    expect(await ana.locator('chat-room header h2').textContent()).toBe('Clínica Ruiz · recepción');
    await expectAccessible(ana, 'days in the log');

    // The people panel: each person's status and text; the close button hides it.
    await ana.locator('chat-room header button[aria-controls=members]').click();
    const panel = ana.getByRole('region', { name: 'People here' });
    await expect
      .poll(() => panel.locator('li').allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/Ana \(You\)\s+Online/u),
          expect.stringMatching(/Luis\s+Busy · With a patient until 4/u),
        ]),
      );
    await expectAccessible(ana, 'the people panel with statuses');
    await shoot(ana, 'widget-people-light');
    await ana.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(ana, 'the people panel with statuses, dark');
    await shoot(ana, 'widget-people-dark');
    await ana.emulateMedia({ colorScheme: 'light' });
    await panel.getByRole('button', { name: 'Hide people here' }).click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await ana.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.closest('header') !== null)).toBe(true);

    // Your own message's actions on hover: beside "You · time", not over it; the same for others'.
    await ana.locator('chat-room [role=article] .actions').first().waitFor({ state: 'attached' }); // chat-room.message-tools.js is in
    const overlap = (text: string) =>
      ana.locator('chat-room [role=article]', { hasText: text }).evaluate((article) => {
        const group = article.closest('.group-body') as HTMLElement;
        const a = (article.querySelector('.actions') as HTMLElement).getBoundingClientRect();
        const m = (group.querySelector('.meta .name') as HTMLElement).getBoundingClientRect();
        const t = (group.querySelector('.meta time') as HTMLElement).getBoundingClientRect();
        const hits = (r: DOMRect) => a.left < r.right && r.left < a.right && a.top < r.bottom && r.top < a.bottom;
        return { visible: getComputedStyle(article.querySelector('.actions') as HTMLElement).visibility, covers: hits(m) || hits(t) };
      });
    await ana.locator('chat-room [role=article]', { hasText: 'Yes, thank you!' }).hover();
    expect(await overlap('Yes, thank you!')).toEqual({ visible: 'visible', covers: false });
    await expectAccessible(ana, "your message's actions on hover");
    await shoot(ana, 'widget-actions-own-light');
    await ana.locator('chat-room [role=article]', { hasText: 'Did you see them?' }).hover();
    expect(await overlap('Did you see them?')).toEqual({ visible: 'visible', covers: false });
  });

  it('a narrow widget shows its whole placeholder: the text box grows to it, in English and Spanish', async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'lobby' });
    /** The text box's height, and the height its placeholder takes at its width, font and padding (and on one line). */
    const heights = (page: Page) =>
      page.locator('chat-room #input').evaluate((box: HTMLTextAreaElement) => {
        const style = getComputedStyle(box);
        const probe = document.createElement('div');
        probe.textContent = box.placeholder;
        for (const key of ['width', 'boxSizing', 'padding', 'border', 'font', 'lineHeight', 'letterSpacing'] as const) {
          probe.style[key] = style[key];
        }
        Object.assign(probe.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'pre-wrap', overflowWrap: 'break-word' });
        box.after(probe);
        const need = probe.offsetHeight;
        probe.style.whiteSpace = 'pre';
        const oneLine = probe.offsetHeight;
        probe.remove();
        return { box: box.offsetHeight, need, oneLine };
      });
    for (const [lang, width, placeholder, name] of [
      ['en', 240, 'Write a message…', 'Ana'],
      ['es', 260, 'Escribe un mensaje…', 'Eva'],
    ] as const) {
      const page = await open({ room: 'lobby', name, lang }, width);
      await expect.poll(() => page.locator('chat-room #input').getAttribute('placeholder')).toBe(placeholder);
      await expect.poll(() => page.locator('chat-room #input').isEnabled()).toBe(true);
      const before = await heights(page);
      expect(before.need, `${lang}: the placeholder wraps at ${width} px`).toBeGreaterThan(before.oneLine);
      expect(before.box, `${lang}: the box is as tall as its placeholder`).toBeGreaterThanOrEqual(before.need);
      // Written text grows it as before; once sent, it is back to the placeholder's height.
      await page.locator('chat-room #input').fill('one\ntwo\nthree\nfour');
      await page.locator('chat-room #input').press('Enter');
      await expect.poll(() => page.locator('chat-room [role=article]').count()).toBe(lang === 'en' ? 1 : 2);
      expect((await heights(page)).box).toBe(before.box);
      await expectAccessible(page, `a narrow widget (${lang})`);
    }
  });

  it('the emoji choice on one of the last messages opens whole inside the log, with the mouse and with the keyboard', async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'lobby' });
    for (let i = 0; i < 30; i++) await chat.sendMessage('lobby', { user: { id: 'luis', name: 'Luis' }, text: `message number ${i}` });
    const ana = await open({ room: 'lobby', name: 'Ana' }, 560);
    const target = ana.locator('chat-room [role=article]', { hasText: 'message number 27' });
    // The log a little above its end (not "at the bottom", which keeps it there): message 27 is the last one seen whole.
    const scrollUp = () =>
      ana.locator('chat-room [role=log]').evaluate((log) => {
        log.scrollTop = log.scrollHeight - log.clientHeight - 45;
      });
    const inside = () =>
      ana.locator('chat-room .emoji-choice').evaluate((choice) => {
        const c = choice.getBoundingClientRect();
        const log = (choice.closest('[role=log]') as HTMLElement).getBoundingClientRect();
        return c.top >= log.top && c.bottom <= log.bottom;
      });
    await expect.poll(() => ana.locator('chat-room [role=article]').count()).toBe(30);
    await scrollUp();
    await target.hover();
    await target.locator('.act-react').click();
    await expect.poll(inside).toBe(true);
    await expectAccessible(ana, 'the emoji choice on one of the last messages');
    await shoot(ana, 'widget-fix-picker-last');
    await ana.keyboard.press('Escape');
    await scrollUp();
    await target.focus();
    for (const key of ['Enter', 'Tab', 'Enter']) await ana.keyboard.press(key);
    await expect
      .poll(() => ana.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.closest('.emoji-choice') != null))
      .toBe(true);
    await expect.poll(inside).toBe(true);
  });

  it("your follow-on message's actions cover no other message, a short or a long one", async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'lobby' });
    const ana = await open({ room: 'lobby', name: 'Ana' }, 560);
    const texts = ['message number 9', 'message number 10', 'message number 11 '.repeat(8)];
    for (const [i, text] of texts.entries()) {
      await ana.locator('chat-room #input').fill(text);
      await ana.locator('chat-room #input').press('Enter');
      await expect.poll(() => ana.locator('chat-room .group:not(.pending) [role=article]').count()).toBe(i + 1);
    }
    for (const i of [1, 2]) {
      const article = ana.locator('chat-room [role=article]').nth(i);
      await article.locator('.actions').waitFor({ state: 'attached' }); // chat-room.message-tools.js is in
      await article.hover();
      const placed = await article.evaluate((message) => {
        const a = (message.querySelector('.actions') as HTMLElement).getBoundingClientRect();
        const above = (message.previousElementSibling?.querySelector('.text') as HTMLElement).getBoundingClientRect();
        const row = (message.closest('.group-body') as HTMLElement).getBoundingClientRect();
        return {
          visible: getComputedStyle(message.querySelector('.actions') as HTMLElement).visibility,
          coversAbove: a.top < above.bottom && above.top < a.bottom && a.left < above.right && above.left < a.right,
          inRow: a.left >= row.left && a.right <= row.right + 0.5 && a.top >= message.getBoundingClientRect().top - 1,
        };
      });
      expect(placed, `message ${i}`).toEqual({ visible: 'visible', coversAbove: false, inRow: true });
      await expectAccessible(ana, `your follow-on message's actions (${i})`);
      await shoot(ana, `widget-fix-actions-follow-on-${i}`);
    }
  });

  it("a mouse on its way to a first message's actions keeps them, another's and yours (a short bubble)", async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'lobby' });
    await chat.sendMessage('lobby', { user: { id: 'luis', name: 'Luis' }, text: 'hi' });
    const ana = await open({ room: 'lobby', name: 'Ana' }, 560);
    await ana.locator('chat-room #input').fill('ok');
    await ana.locator('chat-room #input').press('Enter');
    await expect.poll(() => ana.locator('chat-room .group:not(.pending) [role=article]').count()).toBe(2);
    for (const i of [0, 1]) {
      const article = ana.locator('chat-room [role=article]').nth(i);
      const text = (await article.locator('.text').boundingBox()) as { x: number; y: number; height: number };
      await ana.mouse.move(text.x + 3, text.y + text.height / 2);
      const actions = (await article.locator('.actions').boundingBox()) as { x: number; y: number; width: number; height: number };
      // In small steps, as a hand moves: from the start of the text straight to the far end of the actions.
      await ana.mouse.move(actions.x + actions.width - 4, actions.y + actions.height / 2, { steps: 40 });
      const shown = await article.evaluate((message) => getComputedStyle(message.querySelector('.actions') as HTMLElement).visibility);
      expect(shown, i ? 'yours' : "Luis's").toBe('visible');
    }
    await expectAccessible(ana, 'your first message with its actions beside it');
    await shoot(ana, 'widget-fix-actions-first-own');
  });

  it('opening a header panel closes the one open: search, notifications, people', async () => {
    const { open, chat } = await startSite();
    await chat.createRoom({ id: 'lobby' });
    const ana = await open({ room: 'lobby', name: 'Ana' }, 560);
    const panels = () =>
      ana
        .locator('chat-room')
        .locator('#search, #notify, #members')
        .evaluateAll((els) => els.map((e) => e.id));
    await expect.poll(() => ana.locator('chat-room #input').isEnabled()).toBe(true);
    await ana.locator('chat-room .search-toggle').click();
    await expect.poll(panels).toEqual(['search']);
    await ana.locator('chat-room #search-q').fill('hi');
    await ana.locator('chat-room .bell').click();
    await expect.poll(panels).toEqual(['notify']);
    expect(await ana.locator('chat-room .search-toggle').getAttribute('aria-expanded')).toBe('false');
    await expectAccessible(ana, 'notifications opened over search');
    await shoot(ana, 'widget-fix-one-panel');
    await ana.locator('chat-room header button[aria-controls=members]').click();
    await expect.poll(panels).toEqual(['members']);
    await ana.locator('chat-room .search-toggle').click();
    await expect.poll(panels).toEqual(['search']);
  });

  it('a 300 px sidebar with calls shows its whole heading, the buttons under it, in English and Spanish', async () => {
    const { open, chat, url } = await startSite({ calls: {} });
    await chat.createRoom({ id: 'cita' });
    await sdkClient(url, { auth: { name: 'Paciente' } }).join('cita');
    for (const lang of ['en', 'es']) {
      const page = await open(
        { room: 'cita', name: `Dra. Ruiz (${lang})`, lang, heading: 'Chat de la consulta', calls: '', theme: 'dark' },
        300,
      );
      await expect.poll(() => page.locator('chat-room header .call-start').count()).toBeGreaterThan(0);
      const h2 = page.locator('chat-room header h2');
      expect(await h2.textContent()).toBe('Chat de la consulta');
      expect(await h2.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
      await expectAccessible(page, `a 300 px sidebar's header (${lang})`);
      await shoot(page, `widget-fix-narrow-heading-${lang}`);
    }
  });
});
