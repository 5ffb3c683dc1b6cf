import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ChatServerOptions, RestHandler } from '@chat/server';
import { launchBrowser } from './browser.js';
import { startChat } from './servers.js';

// The script-tag bundle as a user embeds it: `npm test` builds it first.
const bundlePath = fileURLToPath(new URL('../packages/widget/dist/chat-room.min.js', import.meta.url));

/** How {@link startWidgetSite} lays out its host page. */
export interface WidgetSiteOptions {
  /** Width of the sidebar the widget sits in, in CSS pixels. @default 320 */
  sidebarWidth?: number;
  /** `open()` waits until the widget shows its message log. @default false */
  waitForLog?: boolean;
  /** The element the page embeds (`chat-inbox` for the inbox). @default 'chat-room' */
  tag?: string;
  /** Serves the chat server's REST handler (and so its `uploads`) at /chat, as the docs mount it. @default false */
  rest?: boolean;
  /** Chromium with a fake microphone and camera, granted without asking (`launchBrowser`'s `fakeMedia`). @default false */
  fakeMedia?: boolean;
}

/**
 * A host page with the widget embedded by one script tag, served next to a chat server, and a
 * Chromium to open it in. `open(params)` opens `/page` with `params` as the element's attributes
 * (`server` preset); the page records `chat-*` events in `window.events`.
 */
export async function startWidgetSite(options: ChatServerOptions = {}, site: WidgetSiteOptions = {}) {
  const bundle = readFileSync(bundlePath);
  const width = site.sidebarWidth ?? 320;
  const tag = site.tag ?? 'chat-room';
  let rest: RestHandler | undefined;
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (rest && url.pathname.startsWith('/chat/')) return rest(req, res, () => res.writeHead(404).end());
    if (url.pathname === '/chat-room.min.js') {
      res.setHeader('content-type', 'text/javascript');
      return res.end(bundle);
    }
    // The files the bundle loads when first used (chat-room.moderation.js, chat-room.es.js, ...),
    // next to it as a user serves them: the widget's dist folder. Not the .esm.js module build.
    if (/^\/chat-room\.[a-z0-9-]+\.js$/.test(url.pathname) && !url.pathname.endsWith('.esm.js')) {
      const file = fileURLToPath(new URL(`../packages/widget/dist${url.pathname}`, import.meta.url));
      if (!existsSync(file)) return res.writeHead(404).end();
      res.setHeader('content-type', 'text/javascript');
      return res.end(readFileSync(file));
    }
    if (url.pathname !== '/page') return res.writeHead(404).end();
    const attrs = [...url.searchParams]
      .map(([k, v]) => `${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
      .join(' ');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
      <style>body{margin:0} .sidebar{width:min(${width}px,100vw);height:560px}</style></head>
      <body><div class="sidebar"><${tag} ${attrs}></${tag}></div>
      <script>window.events=[];for (const t of ['chat-message','chat-join','chat-error','chat-unread','chat-open']) document.addEventListener(t, e => window.events.push([t, JSON.parse(JSON.stringify(e.detail))]));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const chat = await startChat({ presenceCoalesceMs: 20, ...options }, http);
  if (site.rest) rest = chat.chat.httpHandler({ basePath: '/chat' });
  const browser = await launchBrowser({ fakeMedia: site.fakeMedia ?? false });
  const open = async (params: Record<string, string>, viewportWidth = 360): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: viewportWidth, height: 600 } });
    const page = await context.newPage(); // its errors fail the test (test-support/browser.ts)
    await page.goto(`${chat.url}/page?${new URLSearchParams({ server: chat.url, ...params })}`);
    if (site.waitForLog) await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
    return page;
  };
  return { ...chat, browser, open };
}

/**
 * Waits until the room's MLS group holds `count` devices. A page that shows the room may not be in
 * its group yet (its key packages on their way, a member's commit to come): a message sent before
 * a device is added is not that device's to read (docs/security.md), so a test that sends to a page
 * it just opened waits for this first.
 */
export async function groupHolds(
  chat: { store: { e2ee?: { groupDevices(roomId: string): Promise<unknown[]> } } },
  roomId: string,
  count: number,
) {
  await expect.poll(() => chat.store.e2ee?.groupDevices(roomId).then((devices) => devices.length), { timeout: 20_000 }).toBe(count);
}
