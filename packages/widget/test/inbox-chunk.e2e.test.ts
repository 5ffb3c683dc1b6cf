import { createServer } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { startChat } from '../../../test-support/servers.js';
import { contextExpecting } from './expected-errors.js';

// <chat-inbox>'s code is not in chat-room.min.js: the element the script defines only holds its
// attributes and properties, and the list itself is chat-room.inbox.js, fetched from next to the
// script when the first <chat-inbox> connects. These tests watch which files a page fetches.

/**
 * The script-tag files as a user serves them (without the inbox chunk, `chunk: false`), counting
 * requests. `/page?tag=` embeds `<chat-room room="plaza">` or `<chat-inbox>`, signed in as Ana.
 */
async function startSite(chunk = true) {
  const { fetched, serve } = widgetFiles(chunk ? ['chat-room.inbox.js', 'chat-room.panels.js'] : ['chat-room.panels.js']);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    const server = url.searchParams.get('server');
    const element =
      url.searchParams.get('tag') === 'chat-inbox'
        ? `<chat-inbox server="${server}" token="ana"></chat-inbox>`
        : `<chat-room server="${server}" token="ana" room="plaza"></chat-room>`;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body>${element}
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const authenticate = (handshake: { auth: Record<string, unknown> }) => ({ id: String(handshake.auth['token']), name: 'Ana' });
  const site = await startChat({ presenceCoalesceMs: 20, authenticate }, http);
  await site.chat.createRoom({ id: 'plaza', title: 'Plaza' });
  await site.chat.addMembers('plaza', [{ id: 'ana', name: 'Ana' }]);
  const browser = await launchBrowser();
  return { ...site, browser, fetched };
}

async function openPage(browser: Browser, url: string, tag: 'chat-room' | 'chat-inbox', page?: Page): Promise<Page> {
  const opened = page ?? (await (await browser.newContext()).newPage());
  await opened.goto(`${url}/page?${new URLSearchParams({ server: url, tag })}`);
  return opened;
}
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);

describe.skipIf(skipWithoutChromium())('the inbox chunk of the script-tag bundle', () => {
  it('is never fetched by a page with only <chat-room>; a page with <chat-inbox> fetches it and shows the list', async () => {
    const { url, browser, fetched } = await startSite();
    const room = await openPage(browser, url, 'chat-room');
    await room.locator('chat-room #input').fill('hola');
    await room.locator('chat-room #input').press('Enter');
    await expect.poll(() => room.locator('chat-room [role=article] .text').allTextContents()).toEqual(['hola']);
    await room.locator('chat-room header [aria-controls=members]').click();
    await expect.poll(() => room.locator('chat-room .person').count()).toBe(1);
    // The people panel is a chunk of its own (chat-room.panels.js), fetched when it first opens.
    expect(fetched).toEqual(['/chat-room.min.js', '/chat-room.panels.js']);

    const inbox = await openPage(browser, url, 'chat-inbox');
    const options = inbox.locator('chat-inbox').getByRole('option');
    await expect.poll(() => options.allTextContents()).toEqual([expect.stringMatching(/Plaza.*You: hola/su)]);
    // The inbox's rows of conversations are the people panel's: its chunk comes with the inbox's.
    expect(fetched).toEqual([
      '/chat-room.min.js',
      '/chat-room.panels.js',
      '/chat-room.min.js',
      '/chat-room.inbox.js',
      '/chat-room.panels.js',
    ]);
    // The element the script defined keeps its properties and parts (the chunk's styles are in its shadow root).
    expect(await inbox.locator('chat-inbox [part=list]').count()).toBe(1);
    expect(
      await inbox.locator('chat-inbox').evaluate((el) => getComputedStyle(el.shadowRoot?.querySelector('ul') as Element).listStyleType),
    ).toBe('none');
    expect(await events(inbox)).toEqual([]);
  });

  it('says which file to serve when chat-room.inbox.js is not next to the script', async () => {
    const { url, browser } = await startSite(false);
    const { context, errors } = await contextExpecting(browser, /Failed to load resource: .* 404/u);
    const page = await openPage(browser, url, 'chat-inbox', await context.newPage());
    const message = 'The conversations list could not be loaded (chat-room.inbox.js must be served next to chat-room.min.js).';
    await expect.poll(() => events(page)).toEqual([message]);
    expect(await page.locator('chat-inbox [role=alert]').textContent()).toBe(message);
    expect(errors).toEqual([]);
  });
});
