import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium } from '../../../../../test-support/browser.js';
import { startChat, track } from '../../../../../test-support/servers.js';

// Issue 30, item 3: a portal page on one origin embeds chat from an app on another. The files the
// widget fetches on first use (here Spanish, chat-room.es.js) are modules, which a page may only
// run from another origin with CORS headers: chat.widgetHandler() sends them. Two real origins in
// Chromium: http://localhost:<portal port> and http://127.0.0.1:<app port>.

/** The portal: an HTML page on its own origin that loads the widget from the app. */
async function startPortal(page: (app: string) => string): Promise<{ origin: string; setApp(url: string): void }> {
  let app = '';
  const http = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page(app));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return { origin: `http://localhost:${(http.address() as AddressInfo).port}`, setApp: (url) => (app = url) };
}

const spanishPage = (app: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title></head>
  <body><main><h1>Portal</h1><div style="height:480px"><chat-room server="${app}" room="consulta" name="Ana" lang="es"></chat-room></div></main>
  <script>window.errors=[];document.addEventListener('chat-error', e => window.errors.push(e.detail.error.code + ': ' + e.detail.error.message));</script>
  <script src="${app}/widget/chat-room.min.js"></script></body></html>`;

const placeholder = (page: Page) =>
  page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.querySelector('#input')?.getAttribute('placeholder'));

describe.skipIf(skipWithoutChromium())('the widget on another origin, served by chat.widgetHandler()', { timeout: 60_000 }, () => {
  it('loads its lazy files across origins: a Spanish widget speaks Spanish, with no error', async () => {
    const portal = await startPortal(spanishPage);
    // The app: chat, and the widget's files at /widget, for the portal's origin.
    const appHttp = createServer();
    const { url: app, chat } = await startChat({ cors: { origin: [portal.origin] }, allowedOrigins: [portal.origin] }, appHttp);
    const widget = chat.widgetHandler({ origins: [portal.origin] });
    appHttp.prependListener('request', (req, res) => {
      if (req.url?.startsWith('/widget/')) widget(req, res);
    });
    portal.setApp(app);
    const joined: string[] = [];
    chat.on('join', ({ roomId, member }) => joined.push(`${member.name} in ${roomId}`));

    const browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    const served: Array<[string, number, string | null]> = [];
    page.on('response', (res) => {
      if (res.url().endsWith('.js'))
        served.push([new URL(res.url()).pathname, res.status(), res.headers()['access-control-allow-origin'] ?? null]);
    });
    await page.goto(portal.origin);
    await expect.poll(() => placeholder(page)).toBe('Escribe un mensaje…');
    expect(served).toContainEqual(['/widget/chat-room.es.js', 200, portal.origin]);
    expect(served.every(([path]) => path.startsWith('/widget/'))).toBe(true);
    // Connected across origins too: Ana is in the room.
    await expect.poll(() => joined).toEqual(['Ana in consulta']);
    expect(await page.evaluate(() => (window as unknown as { errors: string[] }).errors)).toEqual([]);
    expect(await axeViolations(page), 'axe-core').toEqual([]);
  });
});
