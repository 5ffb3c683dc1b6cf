// The host site of the widget's push tests, in Chromium: a page with the script-tag widget, its
// chunks and /chat-sw.js, next to a chat server mounted at /chat (with the `push` option given).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { launchBrowser } from '../../../test-support/browser.js';
import { startChat } from '../../../test-support/servers.js';

const bundlePath = fileURLToPath(new URL('../dist/chat-room.min.js', import.meta.url));
const worker = readFileSync(new URL('../chat-sw.js', import.meta.url));

/** The site: the chat server's parts, a Chromium, and `open(attributes)` for a page with `<chat-room>` (room `lobby`). */
export async function startPushSite(options: ChatServerOptions) {
  const bundle = readFileSync(bundlePath);
  const app = express();
  app.get('/chat-room.min.js', (_req, res) => void res.type('text/javascript').send(bundle));
  app.get(/^\/chat-room\.[\w-]+\.js$/, (req, res) => void res.sendFile(join(dirname(bundlePath), req.path)));
  app.get('/chat-sw.js', (_req, res) => void res.type('text/javascript').send(worker));
  app.get('/page', (req, res) => {
    const query = req.query as Record<string, string>;
    const attrs = Object.entries(query)
      .filter(([k]) => k !== 'pageLang')
      .map(([k, v]) => `${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
      .join(' ');
    res.type('html').send(`<!doctype html><html lang="${query['pageLang'] ?? 'en'}"><head><meta charset="utf-8"><title>host</title>
      <style>body{margin:0} .sidebar{width:360px;height:600px}</style></head>
      <body><div class="sidebar"><chat-room ${attrs}></chat-room></div>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20, ...options }, createServer(app));
  app.use('/chat', site.chat.httpHandler());
  const browser = await launchBrowser();
  const open = async (params: Record<string, string>, context?: BrowserContext): Promise<Page> => {
    const page = await (context ?? (await browser.newContext({ viewport: { width: 360, height: 640 } }))).newPage();
    await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url, room: 'lobby', ...params })}`);
    await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    return page;
  };
  return { ...site, browser, open };
}

/** A part of the widget's shadow tree. */
export const el = (page: Page, selector: string) => page.locator(`chat-room ${selector}`);

/** The browser's notification permission, as the page and the Permissions API see it. */
export const permission = (page: Page) =>
  page.evaluate(async () => [Notification.permission, (await navigator.permissions.query({ name: 'notifications' })).state]);
