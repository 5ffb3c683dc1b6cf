import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { connectedDevice } from '../../../test-support/portal.js';
import { startChat } from '../../../test-support/servers.js';
import { AFTER_JOIN_CHUNK, widgetFiles } from '../../../test-support/widget-files.js';
import { contextExpecting } from './expected-errors.js';

// The SDK's auto-away (your status `away` while every tab of yours is idle or hidden) is not in
// chat-room.min.js: it is chat-room.away.js, fetched from next to the script when the client first
// joins (the user is known then, and the tab starts agreeing with the user's other tabs). A page
// here runs the bundle's own SDK (`ChatWidget.ChatClient`), Ana with a short `hiddenMs`; Luis
// watches her status from Node.

async function startSite(serveAway: boolean) {
  const { fetched, serve } = widgetFiles(serveAway ? [AFTER_JOIN_CHUNK] : [], { withAway: true });
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><script src="/chat-room.min.js"></script></body></html>`);
  });
  const authenticate = (handshake: { auth: Record<string, unknown> }) => {
    const id = String(handshake.auth['token']);
    return { id, name: id === 'ana' ? 'Ana' : 'Luis' };
  };
  const site = await startChat({ presenceCoalesceMs: 20, authenticate }, http);
  await site.chat.createRoom({ id: 'plaza', title: 'Plaza' });
  const browser = await launchBrowser();
  // Where the chunk is not served, the browser logs its 404 itself; any other error is the page's.
  const { context, errors: pageErrors } = await contextExpecting(browser, serveAway ? /^$/u : /404/u);
  const page = await context.newPage();
  await page.goto(`${site.url}/page`);
  // Ana's client, connected but in no room yet; what it says through `error` is kept.
  await page.evaluate((url) => {
    const w = window as unknown as Record<string, unknown> & { ChatWidget: { ChatClient: new (o: unknown) => unknown } };
    const client = new w.ChatWidget.ChatClient({ url, auth: { token: 'ana' }, autoAway: { hiddenMs: 50 } }) as {
      on(event: string, fn: (e: unknown) => void): void;
    };
    w['errors'] = [];
    client.on('error', (e) => (w['errors'] as unknown[]).push(String(e)));
    w['client'] = client;
  }, site.url);
  await expect.poll(() => page.evaluate(() => (window as unknown as { client: { state: string } }).client.state)).toBe('connected');
  return { ...site, page, fetched, pageErrors };
}

const join = (page: Page) =>
  page.evaluate(async () => {
    await (window as unknown as { client: { join(id: string): Promise<unknown> } }).client.join('plaza');
  });
const show = (page: Page, state: 'hidden' | 'visible') =>
  page.evaluate((visibility) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
const pageErrorsOf = (page: Page) => page.evaluate(() => (window as unknown as { errors: string[] }).errors);

describe.skipIf(skipWithoutChromium())('the auto-away chunk of the script-tag bundle', { timeout: 60_000 }, () => {
  it('is fetched once, after the first join and not before; a hidden tab then shows its user away to others', async () => {
    const { url, page, fetched, pageErrors } = await startSite(true);
    expect(fetched).toEqual(['/chat-room.min.js']);
    await join(page);
    await expect.poll(() => [...fetched]).toEqual(['/chat-room.min.js', `/${AFTER_JOIN_CHUNK}`]);

    const luis = await connectedDevice(url, 'luis');
    const room = await luis.join('plaza');
    const ana = () => room.members.find((m) => m.id === 'ana')?.status;
    await expect.poll(ana).toBe('online');
    await show(page, 'hidden');
    await expect.poll(ana).toBe('away');
    await show(page, 'visible');
    await expect.poll(ana).toBe('online');
    // A second room joined loads nothing more.
    await page.evaluate(() => (window as unknown as { client: { join(id: string): Promise<unknown> } }).client.join('otra'));
    expect(fetched).toEqual(['/chat-room.min.js', `/${AFTER_JOIN_CHUNK}`]);
    expect(await pageErrorsOf(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('where the chunk is not served, the page joins and chats as before: no error, its status stays as chosen', async () => {
    const { url, page, fetched, pageErrors } = await startSite(false);
    await join(page);
    await expect.poll(() => [...fetched]).toEqual(['/chat-room.min.js', `/${AFTER_JOIN_CHUNK}`]);
    const luis = await connectedDevice(url, 'luis');
    const room = await luis.join('plaza');
    await page.evaluate(async () => {
      const client = (window as unknown as { client: { setStatus(s: string, t?: string): Promise<void> } }).client;
      await client.setStatus('busy', 'En consulta');
    });
    await expect.poll(() => room.members.find((m) => m.id === 'ana')).toMatchObject({ status: 'busy', statusText: 'En consulta' });
    await page.evaluate(async () => {
      const client = (window as unknown as { client: { rooms: Array<{ send(t: string): Promise<unknown> }> } }).client;
      await client.rooms[0]?.send('hola');
    });
    await expect.poll(() => room.messages.map((m) => m.text)).toEqual(['hola']);
    expect(await pageErrorsOf(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
