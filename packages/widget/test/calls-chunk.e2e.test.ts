import { createServer } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fakeCalls } from '../../client/src/calls/fake-webrtc.js';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { contextExpecting } from './expected-errors.js';

// The call code is not in chat-room.min.js: the SDK's (WebRTC negotiation, media) and the call
// UI are chat-room.call.js, fetched from next to the script only when a call comes or `calls` is
// set. These tests watch which files a page fetches, and that the chunk runs on the page's own
// SDK (one ChatError, one event base), not a copy of it.

/**
 * The script-tag files as a user serves them (without the call chunk, `chunk: false`), counting
 * requests. The log's call lines (chat-room.call-lines.js) are served either way: a call's line
 * comes to the log with the call.
 */
async function startSite(chunk = true) {
  const { fetched, serve } = widgetFiles(['chat-room.call-lines.js', ...(chunk ? ['chat-room.call.js'] : [])]);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room server="${url.searchParams.get('server')}" room="consulta" name="Luis"></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20, calls: {} }, http);
  const browser = await launchBrowser();
  return { ...site, browser, fetched };
}

/** Opens the page (Luis, without `calls`) and waits until it is in the room. */
async function openPage(browser: Browser, url: string, page?: Page): Promise<Page> {
  const opened = page ?? (await (await browser.newContext()).newPage());
  await opened.goto(`${url}/page?${new URLSearchParams({ server: url })}`);
  await expect
    .poll(() => opened.evaluate(() => (document.querySelector('chat-room') as unknown as { chatRoom?: { self?: unknown } }).chatRoom?.self))
    .toBeTruthy();
  return opened;
}

/** Ana, an SDK client in Node, rings Luis in the room. */
async function ringLuis(url: string): Promise<void> {
  const ana = sdkClient(url, { auth: { name: 'Ana' }, calls: fakeCalls() });
  const room = await ana.join('consulta');
  await expect.poll(() => room.members.find((m) => m.name === 'Luis')?.id).toBeTruthy();
  const luis = room.members.find((m) => m.name === 'Luis')?.id ?? '';
  await room.startCall({ kind: 'audio', invite: [luis] });
}

describe.skipIf(skipWithoutChromium())('the call chunk of the script-tag bundle', () => {
  it('is not fetched by a page without calls until a call rings it; then the SDK loads it and it uses the page’s SDK', async () => {
    const { url, browser, fetched } = await startSite();
    const page = await openPage(browser, url);
    expect(fetched).toEqual(['/chat-room.min.js']);

    await ringLuis(url);
    const ringing = () =>
      page.evaluate(() => {
        const room = (document.querySelector('chat-room') as unknown as { chatRoom: { calls: Array<{ state: string }> } }).chatRoom;
        return room.calls.map((call) => call.state);
      });
    await expect.poll(ringing).toEqual(['ringing']);
    // The call chunk and the log's line of the call (chat-room.call-lines.js), in whichever order they came.
    await expect.poll(() => [...fetched].sort()).toEqual(['/chat-room.call-lines.js', '/chat-room.call.js', '/chat-room.min.js']);

    const shared = await page.evaluate(async () => {
      type Room = { calls: object[]; markRead(seq: number): Promise<unknown>; startCall(options: { kind: string }): Promise<unknown> };
      const room = (document.querySelector('chat-room') as unknown as { chatRoom: Room }).chatRoom;
      // The event base both extend (the first prototype up the chain that defines `once`).
      const base = (o: object) => {
        let proto = Object.getPrototypeOf(o) as object | null;
        while (proto && !Object.prototype.hasOwnProperty.call(proto, 'once')) proto = Object.getPrototypeOf(proto) as object | null;
        return proto;
      };
      const fromMain = (await room.markRead(Number.NaN).catch((error: unknown) => error)) as Error; // the main bundle's SDK
      const fromChunk = (await room.startCall({ kind: 'hologram' }).catch((error: unknown) => error)) as Error & { code: string };
      return {
        sameEventBase: base(room.calls[0] as object) === base(room),
        sameChatError: fromMain.name === 'ChatError' && fromChunk.constructor === fromMain.constructor,
        code: fromChunk.code,
        message: fromChunk.message,
      };
    });
    expect(shared).toEqual({
      sameEventBase: true,
      sameChatError: true,
      code: 'VALIDATION_FAILED',
      message: "A call's kind is 'audio' or 'video'.",
    });
  });

  it('says why calls do not work when chat-room.call.js is not served next to the script', async () => {
    const { url, browser } = await startSite(false);
    const { context, errors } = await contextExpecting(browser, /Failed to load resource: .* 404/u);
    const page = await openPage(browser, url, await context.newPage());
    await ringLuis(url);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { events: string[] }).events))
      .toEqual(['The code for calls could not be loaded, so calls do not work on this page now.']);
    await expect.poll(() => page.locator('chat-room [role=alert]').textContent()).toContain('The code for calls could not be loaded');
    expect(errors).toEqual([]);
  });
});
