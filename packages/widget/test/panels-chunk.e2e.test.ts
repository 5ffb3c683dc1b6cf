import { createServer } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { startChat } from '../../../test-support/servers.js';
import { contextExpecting } from './expected-errors.js';

// The header's people panel and notifications menu are not in chat-room.min.js: they are
// chat-room.panels.js, fetched from next to the script the first time one of them opens. Until it
// has come, the panel opened is its frame and heading, busy. These tests watch which files a page
// fetches, and hold the chunk to see that state.

/**
 * The script-tag files as a user serves them (without the panels chunk, `chunk: false`), counting
 * requests. `/page` embeds `<chat-room room="plaza">`, signed in as Ana, with Luis in the room.
 */
async function startSite(chunk = true) {
  const { fetched, serve } = widgetFiles(chunk ? ['chat-room.panels.js'] : []);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room server="${url.searchParams.get('server')}" token="ana" room="plaza"></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const authenticate = (handshake: { auth: Record<string, unknown> }) => {
    const id = String(handshake.auth['token']);
    return { id, name: id === 'ana' ? 'Ana' : 'Luis' };
  };
  const site = await startChat({ presenceCoalesceMs: 20, authenticate }, http);
  await site.chat.createRoom({ id: 'plaza', title: 'Plaza' });
  await site.chat.addMembers('plaza', [
    { id: 'ana', name: 'Ana' },
    { id: 'luis', name: 'Luis' },
  ]);
  const browser = await launchBrowser();
  return { ...site, browser, fetched };
}

async function openPage(browser: Browser, url: string, page?: Page): Promise<Page> {
  const opened = page ?? (await (await browser.newContext()).newPage());
  await opened.goto(`${url}/page?${new URLSearchParams({ server: url })}`);
  await expect.poll(() => opened.locator('chat-room header [aria-controls=members]').textContent()).toContain('1 here');
  return opened;
}
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);
/** What has focus in the widget: its tag and text (an input: its label's). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('chat-room')?.shadowRoot?.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${(el.closest('label') ?? el).textContent?.trim()}` : 'none';
  });

describe.skipIf(skipWithoutChromium())('the header panels chunk of the script-tag bundle', { timeout: 60_000 }, () => {
  it('is fetched once, when a panel first opens; meanwhile the panel is its frame and heading, busy', async () => {
    const { url, browser, fetched } = await startSite();
    const page = await openPage(browser, url);
    expect(fetched).toEqual(['/chat-room.min.js']);

    // The chunk held on its way: the menu opened is its frame and legend, busy, and stays accessible.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/chat-room.panels.js', async (route) => {
      await held;
      await route.continue();
    });
    const bell = page.locator('chat-room .bell');
    await bell.click();
    const menu = page.locator('chat-room #notify');
    await expect.poll(() => menu.getAttribute('aria-busy')).toBe('true');
    expect(await menu.locator('legend').textContent()).toBe('Notifications');
    expect(await bell.getAttribute('aria-expanded')).toBe('true');
    expect(await axeViolations(page), 'axe-core: the menu while its chunk loads').toEqual([]);
    release();
    // Once in: the whole menu, focus on the level chosen as when the chunk was already there.
    await expect.poll(() => focused(page)).toBe('input:All messages');
    expect(await menu.getAttribute('aria-busy')).toBeNull();
    expect(fetched).toEqual(['/chat-room.min.js', '/chat-room.panels.js']);
    expect(await axeViolations(page), 'axe-core: the menu').toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe('button:');

    // The people panel came with it: drawn whole at once, nothing more fetched.
    await page.locator('chat-room header [aria-controls=members]').click();
    expect(await page.locator('chat-room #members').getAttribute('aria-busy')).toBeNull();
    await expect.poll(() => page.locator('chat-room #members .person').allTextContents()).toEqual([expect.stringContaining('Ana (You)')]);
    expect(fetched).toEqual(['/chat-room.min.js', '/chat-room.panels.js']);
    expect(await axeViolations(page), 'axe-core: the people panel').toEqual([]);
    expect(await events(page)).toEqual([]);
  });

  it('says which file to serve when chat-room.panels.js is not next to the script, and the panel closes again', async () => {
    const { url, browser } = await startSite(false);
    const { context, errors } = await contextExpecting(browser, /Failed to load resource: .* 404/u);
    const page = await openPage(browser, url, await context.newPage());
    const toggle = page.locator('chat-room header [aria-controls=members]');
    await toggle.click();
    const message =
      'The people panel and the notifications menu could not be loaded (chat-room.panels.js must be served next to chat-room.min.js).';
    await expect.poll(() => events(page)).toEqual([message]);
    await expect.poll(() => page.locator('chat-room [role=alert]').textContent()).toBe(message);
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('chat-room #members').count()).toBe(0);
    expect(await axeViolations(page), 'axe-core: the panels chunk missing').toEqual([]);
    expect(errors).toEqual([]);
  });
});
