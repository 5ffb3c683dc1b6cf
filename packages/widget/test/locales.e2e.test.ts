import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium, fetchedScripts } from '../../../test-support/browser.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { startChat, track } from '../../../test-support/servers.js';
import { contextExpecting } from './expected-errors.js';

// Spanish is not in chat-room.min.js: it is chat-room.es.js, fetched from next to the script by a
// widget whose language is Spanish (its `lang`, or the page's). English is in the bundle and shows
// while the file loads, so no text is ever missing. These tests watch which files a page fetches.

/** The script-tag files as a user serves them (without chat-room.es.js, `spanish: false`); `/page?lang=` sets the page's language. */
async function startSite(spanish = true) {
  const { serve } = widgetFiles(spanish ? ['chat-room.es.js'] : []);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    const lang = ['es', 'fr'].find((l) => l === url.searchParams.get('lang')) ?? 'en';
    const own = url.searchParams.get('own');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room server="${url.searchParams.get('server')}" room="plaza" name="${url.searchParams.get('name') ?? 'Ana'}" ${own ? `lang="${own === 'es' ? 'es-MX' : 'en'}"` : ''}></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20 }, http);
  const browser = await launchBrowser();
  return { ...site, browser };
}

const scripts = fetchedScripts;
/** What the widget shows, read at once (no waiting for an element): the composer's placeholder, the send button, the log's label. */
const shown = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('chat-room')?.shadowRoot;
    return [
      root?.querySelector('#input')?.getAttribute('placeholder'),
      root?.querySelector('[part=send-button]')?.textContent?.trim(),
      root?.querySelector('[role=log]')?.getAttribute('aria-label'),
    ];
  });
const placeholder = async (page: Page) => (await shown(page))[0];

describe.skipIf(skipWithoutChromium())('<chat-room> languages in Chromium', { timeout: 60_000 }, () => {
  it('speaks Spanish for lang="es" (chat-room.es.js, loaded then), English without it', async () => {
    const { url, browser } = await startSite();
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}/page?${new URLSearchParams({ server: url, own: 'es' })}`); // <chat-room lang="es-MX"> on an English page
    await expect.poll(() => shown(page)).toEqual(['Escribe un mensaje…', 'Enviar', 'Mensajes']);
    expect(await scripts(page)).toEqual(['/chat-room.min.js', '/chat-room.es.js']);
    expect(await axeViolations(page), 'axe-core in Spanish').toEqual([]);

    // The page's language counts too; an English page never fetches Spanish.
    const spanishPage = await (await browser.newContext()).newPage();
    await spanishPage.goto(`${url}/page?${new URLSearchParams({ server: url, lang: 'es', name: 'Luis' })}`);
    await expect.poll(() => placeholder(spanishPage)).toBe('Escribe un mensaje…');
    const english = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await english.goto(`${url}/page?${new URLSearchParams({ server: url, name: 'Eva' })}`);
    await expect.poll(() => placeholder(english)).toBe('Write a message…');
    expect(await scripts(english)).toEqual(['/chat-room.min.js']);
    expect(await english.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([]);
  });

  it('on a page in a language it has no texts for: the widget is marked English, what people write the page language', async () => {
    const { url, browser } = await startSite();
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}/page?${new URLSearchParams({ server: url, lang: 'fr', name: 'Chloé' })}`);
    await expect.poll(() => placeholder(page)).toBe('Write a message…');
    await page.locator('chat-room #input').fill('bonjour à tous');
    await page.locator('chat-room #input').press('Enter');
    await expect.poll(() => page.locator('chat-room [role=article] .text').allTextContents()).toEqual(['bonjour à tous']);
    const marks = await page.evaluate(() => {
      const root = document.querySelector('chat-room')?.shadowRoot;
      return [
        root?.querySelector('section.frame')?.getAttribute('lang'),
        root?.querySelector('[role=article] .text')?.getAttribute('lang'),
      ];
    });
    expect(marks).toEqual(['en', 'fr']);
    expect(await scripts(page)).toEqual(['/chat-room.min.js']);
    expect(await axeViolations(page), 'axe-core on a French page').toEqual([]);

    // In Spanish on a Spanish page, nothing is marked apart: the text is in the widget's language.
    const spanish = await (await browser.newContext()).newPage();
    await spanish.goto(`${url}/page?${new URLSearchParams({ server: url, lang: 'es', name: 'Luis' })}`);
    await expect.poll(() => placeholder(spanish)).toBe('Escribe un mensaje…');
    await spanish.locator('chat-room #input').fill('hola');
    await spanish.locator('chat-room #input').press('Enter');
    await expect.poll(() => spanish.locator('chat-room [role=article] .text').allTextContents()).toContain('hola');
    const spanishMarks = await spanish.evaluate(() => {
      const root = document.querySelector('chat-room')?.shadowRoot;
      return [
        root?.querySelector('section.frame')?.getAttribute('lang'),
        root?.querySelector('[role=article] .text')?.hasAttribute('lang'),
      ];
    });
    expect(spanishMarks).toEqual(['es', false]);
  });

  it('stays in English and says why when chat-room.es.js is not served next to the script', async () => {
    const { url, browser } = await startSite(false);
    const { context, errors } = await contextExpecting(browser, /Failed to load resource: .* 404/u);
    const page = await context.newPage();
    await page.goto(`${url}/page?${new URLSearchParams({ server: url, lang: 'es' })}`);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { events: string[] }).events))
      .toEqual([
        'The texts in "es" could not be loaded (chat-room.es.js must be served next to chat-room.min.js), so the chat is in English.',
      ]);
    expect(await placeholder(page)).toBe('Write a message…');
    await page.locator('chat-room #input').fill('hola');
    await page.locator('chat-room #input').press('Enter');
    await expect.poll(() => page.locator('chat-room [role=article] .text').allTextContents()).toEqual(['hola']);
    expect(errors).toEqual([]);
  });

  it('on a page of another origin, a chunk served without CORS headers is a banner and a chat-error naming it', async () => {
    // The widget's files and the chat server on one origin, which sends no CORS headers for the
    // files (a classic <script> loads without them, an import() does not); the page on another.
    const { serve } = widgetFiles(['chat-room.es.js']);
    const files = createServer((req, res) => void serve(req, res));
    const pages = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      // The host listens right after the element is in the page, after the script that defines it.
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>portal</title></head>
        <body><chat-room server="${chat.url}" room="portal" name="Ana" lang="es"></chat-room>
        <script src="${chat.url}/chat-room.min.js"></script>
        <script>window.events=[];document.querySelector('chat-room').addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
        </body></html>`);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    track(async () => {
      pages.closeAllConnections();
      await new Promise<void>((resolve) => pages.close(() => resolve()));
    });
    const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    const chat = await startChat({ presenceCoalesceMs: 20, cors: { origin: pageUrl } }, files);
    const browser = await launchBrowser();
    const { context, errors } = await contextExpecting(browser, /blocked by CORS policy|net::ERR_FAILED/u);
    const page = await context.newPage();
    await page.goto(`${pageUrl}/`);
    const message =
      'The texts in "es" could not be loaded (chat-room.es.js must be served next to chat-room.min.js), so the chat is in English.';
    await expect.poll(() => page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([message]);
    const banner = page.locator('chat-room [part=banner]');
    await expect.poll(() => banner.textContent()).toBe(message);
    expect(await banner.evaluate((el) => el.parentElement?.getAttribute('role'))).toBe('alert');
    expect(await placeholder(page)).toBe('Write a message…'); // English: the chat still works
    expect(await axeViolations(page), 'axe-core with the banner of a missing language').toEqual([]);
    expect(errors).toEqual([]);
  });
});
