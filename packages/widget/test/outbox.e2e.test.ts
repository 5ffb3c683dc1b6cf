import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io';
import { jwtAuthenticate, type ChatServer, type ChatServerOptions } from '@chat/server';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { startChat } from '../../../test-support/servers.js';
import { AFTER_JOIN_CHUNK, CONVERSATIONS_CHUNK, MESSAGE_TOOLS_CHUNK, OUTBOX_CHUNK } from '../../../test-support/widget-files.js';

// The script-tag bundle as a user embeds it (built by the root rollup.config.mjs).
const bundlePath = fileURLToPath(new URL('../dist/chat-room.min.js', import.meta.url));

/** A host page with the widget, served next to the chat server; pages share one browser context (one user's tabs). */
async function startSite(options: ChatServerOptions = {}) {
  const bundle = readFileSync(bundlePath);
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/chat-room.min.js') {
      res.setHeader('content-type', 'text/javascript');
      return res.end(bundle);
    }
    // What the bundle fetches from next to it: the SDK's list of conversations, its outbox's rows and
    // auto-away, and a message's actions.
    if ([AFTER_JOIN_CHUNK, CONVERSATIONS_CHUNK, OUTBOX_CHUNK, MESSAGE_TOOLS_CHUNK].some((name) => url.pathname === `/${name}`)) {
      res.setHeader('content-type', 'text/javascript');
      return res.end(readFileSync(join(dirname(bundlePath), url.pathname.slice(1))));
    }
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end(); // asked for by the browser itself
    if (url.pathname !== '/page') return res.writeHead(404).end();
    const attrs = [...url.searchParams]
      .map(([k, v]) => `${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
      .join(' ');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room ${attrs}></chat-room><script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat(options, http);
  const browser = await launchBrowser();
  // Not browser.newContext(): launchBrowser's watcher fails a test on any console error, and a
  // context this test takes offline makes the browser log each request that fails meanwhile
  // (socket.io's reconnect attempts). This context's pages are watched by watchOffline instead.
  const unwatched = Object.getPrototypeOf(browser) as Browser;
  const context = await unwatched.newContext.call(browser, { viewport: { width: 400, height: 600 } });
  context.on('page', watchOffline);
  const pageUrl = (params: Record<string, string>) => `${site.url}/page?${new URLSearchParams({ server: site.url, ...params })}`;
  return { ...site, context, pageUrl };
}

/** Uncaught errors and console errors of the pages, but for requests failed by going offline. */
let pageErrors: string[] = [];
function watchOffline(page: Page): void {
  const errors = pageErrors;
  page.on('pageerror', (error) => errors.push(`uncaught ${error.stack ?? String(error)}`));
  page.on('console', (message) => {
    if (message.type() !== 'error' || message.text().includes('net::ERR_INTERNET_DISCONNECTED')) return;
    errors.push(`console.error ${message.text()} (${message.location().url})`);
  });
}
afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  expect(errors, 'errors in the pages of this test').toEqual([]);
});

/**
 * Every `message:send` that reaches the server, by clientId (a resend counts again), and what went
 * twice when it should not have: a clientId sent again while a connection that carried it was
 * still up (the outbox sent it twice, or two pages did). Again after its connection dropped is
 * the outbox doing its job: the answer may have been lost, and the server stores it once.
 */
function countSends(chat: ChatServer): { sent: string[]; twice: string[] } {
  const sent: string[] = [];
  const twice: string[] = [];
  const carriedBy = new Map<string, Set<Socket>>();
  chat.io.on('connection', (socket) =>
    socket.onAny((event: string, payload: { clientId?: string; text?: string }) => {
      if (event !== 'message:send' || !payload.clientId) return;
      sent.push(payload.clientId);
      const carriers = carriedBy.get(payload.clientId) ?? new Set<Socket>();
      const up = [...carriers].filter((carrier) => carrier.connected);
      if (up.length > 0)
        twice.push(`"${String(payload.text)}" on ${socket.id}, sent before on ${up.map((s) => s.id).join(', ')} (still connected)`);
      carriedBy.set(payload.clientId, carriers.add(socket));
    }),
  );
  return { sent, twice };
}

const textarea = (page: Page) => page.getByRole('textbox', { name: /Message/u });
/** Message texts in the log, sent ones and those still in the outbox alike. */
const shown = (page: Page) => page.locator('chat-room .message .text').allTextContents();
/** Outbox entries the widget shows as not sent yet ("Sending…") or failed. */
const unsent = (page: Page) => page.locator('chat-room .status').count();
async function send(page: Page, text: string) {
  await textarea(page).fill(text);
  await textarea(page).press('Enter');
}
/** What the page's IndexedDB outbox holds, as texts in send order. */
function kept(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('chat-outbox');
        open.onerror = () => reject(open.error ?? new Error('The outbox database did not open.'));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('entries')) return resolve([]);
          const all = db.transaction('entries').objectStore('entries').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as Array<{ text: string; order: number }>).sort((a, b) => a.order - b.order).map((e) => e.text));
          };
        };
      }),
  );
}
/** Takes the context offline; the server drops the sockets too (a dropped network, seen by both ends). */
async function goOffline(context: BrowserContext, chat: ChatServer, pages: Page[]) {
  await context.setOffline(true);
  chat.io.disconnectSockets(true);
  for (const page of pages) await expect.poll(() => page.locator('chat-room [part=banner]').textContent()).toContain('offline');
}
/** A reload while offline: the browser shows its error page, the widget's page is gone. */
async function reloadOffline(page: Page) {
  await expect(page.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/u);
  // The reload rejects some milliseconds before the error page replaces the widget's page: until
  // then that page lives on, and could reconnect and send what it holds once back online.
  await expect.poll(() => page.url()).toBe('chrome-error://chromewebdata/');
}
async function storedTexts(chat: ChatServer, roomId: string): Promise<string[]> {
  return (await chat.store.listMessages(roomId, { limit: 100 })).messages.map((m) => m.text);
}

describe.skipIf(skipWithoutChromium())('widget outbox in IndexedDB (Chromium)', () => {
  it('offline, three messages, a reload, back online: all three delivered once, in order, shown as sent', async () => {
    const { chat, context, pageUrl } = await startSite();
    const { sent, twice } = countSends(chat);
    const page = await context.newPage();
    const url = pageUrl({ room: 'r', name: 'Ana' });
    await page.goto(url);
    await send(page, 'before');
    await expect.poll(() => shown(page)).toEqual(['before']);
    await expect.poll(() => unsent(page)).toBe(0);

    await goOffline(context, chat, [page]);
    for (const text of ['one', 'two', 'three']) await send(page, text);
    await expect.poll(() => shown(page)).toEqual(['before', 'one', 'two', 'three']);
    expect(await unsent(page)).toBe(3);
    await expect.poll(() => kept(page)).toEqual(['one', 'two', 'three']);
    await reloadOffline(page);

    await context.setOffline(false);
    await page.goto(url);
    await expect.poll(() => storedTexts(chat, 'r')).toEqual(['before', 'one', 'two', 'three']);
    await expect.poll(() => shown(page)).toEqual(['before', 'one', 'two', 'three']);
    await expect.poll(() => unsent(page)).toBe(0);
    await expect.poll(() => kept(page)).toEqual([]);
    expect(new Set(sent).size).toBe(4);
    expect(twice).toEqual([]); // once on each connection, and on one connection at a time
  });

  it('two tabs of the same user: each waiting message is sent once, and both show it sent', async () => {
    const { chat, context, tabs, url } = await twoTabsOffline();
    const { sent, twice } = countSends(chat);
    for (const tab of tabs) await reloadOffline(tab);

    // Both tabs come back at once and find the same four messages waiting.
    await context.setOffline(false);
    await Promise.all(tabs.map((tab) => tab.goto(url)));
    await expect.poll(() => storedTexts(chat, 'r')).toEqual(['one', 'two', 'three', 'four']);
    for (const tab of tabs) {
      await expect.poll(() => shown(tab)).toEqual(['one', 'two', 'three', 'four']);
      await expect.poll(() => unsent(tab)).toBe(0);
    }
    await expect.poll(() => kept(tabs[0] as Page)).toEqual([]);
    expect(twice).toEqual([]); // Web Locks: no entry went from both tabs
    expect(new Set(sent).size).toBe(4);
  });

  it('two tabs of the same user left open: what both wrote offline arrives in the order it was written', async () => {
    const { chat, context, tabs } = await twoTabsOffline();
    // Both reconnect by themselves, in either order: the first one back sends all four.
    await context.setOffline(false);
    await expect.poll(() => storedTexts(chat, 'r')).toEqual(['one', 'two', 'three', 'four']);
    for (const tab of tabs) {
      await expect.poll(() => shown(tab)).toEqual(['one', 'two', 'three', 'four']);
      await expect.poll(() => unsent(tab)).toBe(0);
    }
    await expect.poll(() => kept(tabs[0] as Page)).toEqual([]);
  });

  it('two tabs of the same user: a failed message discarded in one leaves the other too', async () => {
    const { context, url } = await anasSite({ limits: { maxTextLength: 20 } });
    const first = await context.newPage();
    await first.goto(url);
    await send(first, 'this text is longer than twenty characters');
    await expect.poll(() => first.locator('chat-room .status.failed').count()).toBe(1);
    await expect.poll(() => kept(first)).toEqual(['this text is longer than twenty characters']);

    const second = await context.newPage();
    await second.goto(url);
    await expect.poll(() => second.locator('chat-room .status.failed').count()).toBe(1);
    await second.locator('chat-room').getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => unsent(second)).toBe(0);
    await expect.poll(() => unsent(first)).toBe(0);
    expect(await shown(first)).toEqual([]);
    await expect.poll(() => kept(first)).toEqual([]);
  });
});

/**
 * Two tabs of Ana, taken offline: the first writes one, two and three, the second four, and the
 * kept outbox holds the four in that order.
 */
async function twoTabsOffline() {
  const { chat, context, url } = await anasSite();
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) await tab.goto(url);
  for (const tab of tabs) await expect.poll(() => tab.locator('chat-room [part=banner]').count()).toBe(0);

  await goOffline(context, chat, tabs);
  const [first, second] = tabs as [Page, Page];
  for (const text of ['one', 'two', 'three']) await send(first, text);
  await send(second, 'four');
  await expect.poll(() => kept(first)).toEqual(['one', 'two', 'three', 'four']);
  return { chat, context, tabs, url };
}

/** A site where every page is Ana (one token): the pages of its context are her tabs. */
async function anasSite(options: ChatServerOptions = {}) {
  const secret = 'a-test-secret-that-is-long-enough-for-hs256';
  const token = await new SignJWT({ name: 'Ana' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('ana')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
  const site = await startSite({ ...options, authenticate: jwtAuthenticate({ secret, algorithms: ['HS256'] }) });
  return { ...site, url: site.pageUrl({ room: 'r', token }) };
}
