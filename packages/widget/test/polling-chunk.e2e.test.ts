import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { startChat, track } from '../../../test-support/servers.js';
import { POLLING_CHUNK, widgetFiles } from '../../../test-support/widget-files.js';
import { contextExpecting } from './expected-errors.js';

// The widget connects over WebSocket. HTTP long-polling is not in chat-room.min.js: it is
// chat-room.polling.js, fetched from next to the script only where a WebSocket cannot open (a
// proxy that refuses it, or holds it without an answer).

async function startSite(websockets: 'answered' | 'refused' | 'held') {
  const { fetched, serve } = widgetFiles([POLLING_CHUNK], { watched: [POLLING_CHUNK] });
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room token="ana" room="plaza"></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const authenticate = (handshake: { auth: Record<string, unknown> }) => ({ id: String(handshake.auth['token']), name: 'Ana' });
  const site = await startChat({ authenticate }, http);
  if (websockets !== 'answered') {
    const held: Socket[] = [];
    track(() => held.forEach((socket) => socket.destroy()));
    http.removeAllListeners('upgrade');
    http.on('upgrade', (_req, socket: Socket) => (websockets === 'held' ? held.push(socket) : socket.destroy()));
  }
  const browser = await launchBrowser();
  // A refused WebSocket is logged by the browser itself; any other error is the page's.
  const { context, errors } = await contextExpecting(browser, /WebSocket connection to .* failed/u);
  const page = await context.newPage();
  await page.goto(`${site.url}/page`);
  const transports = () => [...site.chat.io.of('/').sockets.values()].map((socket) => socket.conn.transport.name);
  return { ...site, page, fetched, errors, transports };
}

describe.skipIf(skipWithoutChromium())('the long-polling chunk of the script-tag bundle', () => {
  it('is never fetched where WebSockets open: the widget chats over WebSocket', async () => {
    const { page, fetched, errors, transports } = await startSite('answered');
    await page.locator('chat-room #input').fill('hola');
    await page.locator('chat-room #input').press('Enter');
    await expect.poll(() => page.locator('chat-room [role=article] .text').allTextContents()).toEqual(['hola']);
    expect(transports()).toEqual(['websocket']);
    expect(fetched).toEqual(['/chat-room.min.js']);
    expect(await page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it.each([['refused'], ['held']] as const)(
    'where WebSockets are %s, it is fetched and the widget chats over long-polling',
    async (how) => {
      const { page, fetched, errors, transports } = await startSite(how);
      await page.locator('chat-room #input').fill('hola');
      await page.locator('chat-room #input').press('Enter');
      await expect.poll(() => page.locator('chat-room [role=article] .text').allTextContents()).toEqual(['hola']);
      expect(transports()).toEqual(['polling']);
      expect(fetched).toEqual(['/chat-room.min.js', '/chat-room.polling.js']);
      expect(await page.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([]);
      expect(errors).toEqual([]);
    },
  );

  it('a page on another origin than its chat server starts on long-polling (checked against the server cors), then upgrades', async () => {
    const { fetched, serve } = widgetFiles([POLLING_CHUNK], { watched: [POLLING_CHUNK] });
    const pages = createServer((req, res) => {
      if (serve(req, res)) return;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
        <body><chat-room server="${chat.url}" token="ana" room="plaza"></chat-room><script src="/chat-room.min.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    track(async () => {
      pages.closeAllConnections();
      await new Promise<void>((resolve) => pages.close(() => resolve()));
    });
    const pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    const authenticate = (handshake: { auth: Record<string, unknown> }) => ({ id: String(handshake.auth['token']), name: 'Ana' });
    const chat = await startChat({ authenticate, cors: { origin: pageOrigin } });
    const { context, errors } = await contextExpecting(await launchBrowser(), /^$/u);
    const page = await context.newPage();
    await page.goto(`${pageOrigin}/page`);
    await page.locator('chat-room #input').fill('hola');
    await page.locator('chat-room #input').press('Enter');
    await expect.poll(() => page.locator('chat-room [role=article] .text').allTextContents()).toEqual(['hola']);
    expect(fetched).toEqual(['/chat-room.min.js', '/chat-room.polling.js']);
    await expect.poll(() => [...chat.chat.io.of('/').sockets.values()].map((socket) => socket.conn.transport.name)).toEqual(['websocket']);
    expect(errors).toEqual([]);
  });
});
