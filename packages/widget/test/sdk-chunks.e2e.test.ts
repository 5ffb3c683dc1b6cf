import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { CONVERSATIONS_CHUNK, OUTBOX_CHUNK, widgetFiles } from '../../../test-support/widget-files.js';
import { contextExpecting } from './expected-errors.js';

// Two parts of the SDK that every page with a client uses, but not for its first paint, are not in
// chat-room.min.js: the list of conversations (chat-room.conversations.js, asked for as soon as the
// widget's client is made: its counts, the private conversations, `chat-unread`) and the rows of the
// outbox in IndexedDB (chat-room.outbox.js, read at the first join: what a page before left unsent,
// and what is sent, written until the server has it). A guest's page asks for a name first: no
// client, so neither is fetched until a name is given.

const SERVED = { all: [CONVERSATIONS_CHUNK, OUTBOX_CHUNK], noConversations: [OUTBOX_CHUNK], noOutbox: [CONVERSATIONS_CHUNK] };

async function startSite(served: readonly string[]) {
  const { fetched, serve } = widgetFiles(served, { watched: [CONVERSATIONS_CHUNK, OUTBOX_CHUNK] });
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room server="${url.searchParams.get('server')}" room="plaza"></chat-room>
      <script>window.events=[];window.unread=[];
      document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));
      document.addEventListener('chat-unread', e => window.unread.push(e.detail.count));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20 }, http);
  await site.chat.createRoom({ id: 'plaza', title: 'Plaza' });
  const browser = await launchBrowser();
  // Where a chunk is not served, the browser logs its 404 itself; any other error is the page's.
  const { context, errors: pageErrors } = await contextExpecting(browser, served.length === 2 ? /^$/u : /404/u);
  const page = await context.newPage();
  await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url })}`);
  // Luis, in the room from Node.
  const luis = sdkClient(site.url, { auth: { name: 'Luis' }, autoAway: false });
  const room = await luis.join('plaza');
  return { ...site, page, fetched, pageErrors, luis, room };
}

const widget = (page: Page) => page.locator('chat-room');
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);
const unread = (page: Page) => page.evaluate(() => (window as unknown as { unread: number[] }).unread);
const composer = (page: Page) => widget(page).getByRole('textbox', { name: 'Message' });
const alerts = async (page: Page) => (await widget(page).getByRole('alert').allTextContents()).join(' ').trim();

/** Joins as the guest `name` from the name prompt, and sends `text` from the composer. */
async function joinAndSend(page: Page, name: string, text: string): Promise<void> {
  const field = widget(page).getByRole('textbox', { name: 'Your name' });
  await field.fill(name);
  await field.press('Enter');
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

describe.skipIf(skipWithoutChromium())("the SDK's chunks of the script-tag bundle", { timeout: 60_000 }, () => {
  it('are fetched once each, once the client is made and not before; the list and the outbox work', async () => {
    const { page, fetched, pageErrors, luis, room } = await startSite(SERVED.all);
    await expect.poll(() => widget(page).getByRole('textbox', { name: 'Your name' }).count()).toBe(1);
    // The name prompt is the first paint: no client yet, so no list to ask for and no outbox to read.
    expect(fetched).toEqual(['/chat-room.min.js']);
    await joinAndSend(page, 'Bea', 'hola');
    await expect.poll(() => [...fetched].sort()).toEqual(['/chat-room.conversations.js', '/chat-room.min.js', '/chat-room.outbox.js']);
    await expect.poll(() => room.messages.map((m) => `${m.user.name}: ${m.text}`)).toEqual(['Bea: hola']);
    // The outbox wrote its entry to IndexedDB (and took it out once the server had it).
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).toContain('chat-outbox');
    // The list of conversations is live: a private message counts in `chat-unread`.
    const bea = room.members.find((m) => m.name === 'Bea');
    await (await luis.direct(bea?.id ?? '')).send('psst');
    await expect.poll(() => unread(page)).toContain(1);
    // More messages load nothing more.
    await composer(page).fill('¿qué tal?');
    await composer(page).press('Enter');
    await expect.poll(() => room.messages.map((m) => m.text)).toEqual(['hola', '¿qué tal?']);
    expect(fetched).toHaveLength(3);
    expect(await events(page)).toEqual([]);
    expect(await alerts(page)).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it('where the outbox chunk is not served, the guest joins and chats as before, the outbox in memory only', async () => {
    const { page, fetched, pageErrors, room } = await startSite(SERVED.noOutbox);
    await joinAndSend(page, 'Bea', 'hola');
    await expect.poll(() => fetched).toContain(`/${OUTBOX_CHUNK}`);
    await expect.poll(() => room.messages.map((m) => `${m.user.name}: ${m.text}`)).toEqual(['Bea: hola']);
    await room.send('¡hola, Bea!');
    await expect
      .poll(() => widget(page).locator('[role=article]').allTextContents())
      .toEqual([expect.stringContaining('hola'), expect.stringContaining('¡hola, Bea!')]);
    // Nothing is said (what waits to be sent just does not survive a reload): no banner, no chat-error.
    expect(await alerts(page)).toBe('');
    expect(await events(page)).toEqual([]);
    expect(await axeViolations(page, 'chat-room')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('where the conversations chunk is not served, the widget says which file to serve once, and the room goes on', async () => {
    const { page, fetched, pageErrors, room } = await startSite(SERVED.noConversations);
    await joinAndSend(page, 'Bea', 'hola');
    await expect.poll(() => fetched).toContain(`/${CONVERSATIONS_CHUNK}`);
    const message = 'The list of conversations could not be loaded (chat-room.conversations.js must be served next to chat-room.min.js).';
    await expect.poll(() => events(page)).toEqual([message]);
    await expect.poll(() => alerts(page)).toContain(message);
    await expect.poll(() => room.messages.map((m) => `${m.user.name}: ${m.text}`)).toEqual(['Bea: hola']);
    await room.send('¡hola, Bea!');
    await expect
      .poll(() => widget(page).locator('[role=article]').allTextContents())
      .toEqual([expect.stringContaining('hola'), expect.stringContaining('¡hola, Bea!')]);
    expect(await axeViolations(page, 'chat-room')).toEqual([]);
    expect(await events(page)).toEqual([message]);
    expect(pageErrors).toEqual([]);
  });
});
