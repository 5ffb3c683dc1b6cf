import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { axeViolations, launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { startChat } from '../../../test-support/servers.js';

// Calls in the script-tag bundle, in Chromium with a fake camera and microphone: two (or three)
// people in separate browser contexts, real WebRTC between them, signalled through a real server.
// The call UI is the chunk chat-room.call.js, served next to chat-room.min.js as a user would.
const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const images = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
const artifacts = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));

async function startSite(options: ChatServerOptions = {}) {
  const files: Record<string, Buffer> = {
    '/chat-room.min.js': readFileSync(dist('chat-room.min.js')),
    '/chat-room.call.js': readFileSync(dist('chat-room.call.js')),
  };
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = files[url.pathname];
    if (file) {
      res.setHeader('content-type', 'text/javascript');
      return void res.end(file);
    }
    if (url.pathname !== '/page') return;
    const attrs = [...url.searchParams].map(([k, v]) => `${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`).join(' ');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="${url.searchParams.get('lang') ?? 'en'}"><head><meta charset="utf-8"><title>host</title>
      <style>body{margin:0} .sidebar{width:100vw;height:640px}</style></head>
      <body><div class="sidebar"><chat-room ${attrs}></chat-room></div>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20, calls: {}, ...options }, http);
  const browser = await launchBrowser({ fakeMedia: true });
  return { ...site, browser };
}

/** Opens the room as `name`, in a context of its own; counts the `call:signal` frames the page receives. */
async function open(browser: Browser, url: string, name: string, lang = 'en') {
  const context = await browser.newContext({ viewport: { width: 420, height: 640 } });
  const page = await context.newPage();
  const signals = { count: 0 };
  // WebSocket frames (CDP) and long-polling responses (routed): every way a payload can arrive.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (event) => {
    if (event.response.payloadData.includes('call:signal')) signals.count++;
  });
  await page.route('**/socket.io/**', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes('call:signal')) signals.count++;
    await route.fulfill({ response, body });
  });
  await page.goto(`${url}/page?${new URLSearchParams({ server: url, room: 'consulta', name, calls: '', lang })}`);
  await expect.poll(() => page.locator('chat-room [role=log]').count()).toBe(1);
  await expect.poll(() => page.locator('chat-room header .call-start').count()).toBe(2);
  return { page, signals };
}

/** Video frames decoded from the other participant, from the call's RTCPeerConnection stats. */
function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const el = document.querySelector('chat-room') as unknown as {
      chatRoom?: {
        calls: Array<{ state: string; remoteStreams: Map<string, unknown>; peerConnection(id: string): RTCPeerConnection | undefined }>;
      };
    };
    const call = el.chatRoom?.calls.find((c) => c.state === 'active');
    const other = call && [...call.remoteStreams.keys()][0];
    const pc = other === undefined ? undefined : call?.peerConnection(other);
    if (!pc) return 0;
    let frames = 0;
    (await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
    });
    return frames;
  });
}

async function expectDecoding(page: Page): Promise<void> {
  await expect.poll(() => framesDecoded(page), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await framesDecoded(page);
  await expect.poll(() => framesDecoded(page), { timeout: 20_000 }).toBeGreaterThan(first);
}

const said = (page: Page) => page.locator('chat-room .visually-hidden[role=status]').textContent();
const banner = (page: Page) => page.locator('chat-room .call-banner');
const view = (page: Page) => page.locator('chat-room section.call');

/** A screenshot for docs/images (or, with `dir`, one to look at in artifacts/). */
function shoot(page: Page, name: string, selector: string, dir = images) {
  mkdirSync(dir, { recursive: true });
  return page.locator(selector).screenshot({ path: `${dir}${name}.png` });
}


async function dump(page: Page) {
  return page.evaluate(() => {
    const el = document.querySelector('chat-room') as any;
    const room = el.chatRoom;
    return {
      self: room?.self?.id,
      calls: (room?.calls ?? []).map((c: any) => ({
        state: c.state,
        participants: c.participants.map((p: any) => p.id),
        remote: [...c.remoteStreams.keys()],
        pcs: c.participants.map((p: any) => {
          const pc = c.peerConnection(p.id);
          return pc && { id: p.id, sig: pc.signalingState, ice: pc.iceConnectionState, conn: pc.connectionState, local: pc.localDescription?.type, remote: pc.remoteDescription?.type, recv: pc.getReceivers().map((r: any) => r.track?.kind + ':' + r.track?.readyState) };
        }),
      })),
    };
  });
}

describe('debug', { timeout: 120_000 }, () => {
  for (let i = 0; i < 8; i++)
  it('A calls B ' + i, async () => {
    const { url, browser } = await startSite();
    const ana = await open(browser, url, 'Ana');
    const luis = await open(browser, url, 'Luis', 'es');
    const eva = await open(browser, url, 'Eva');
    await ana.page.getByRole('button', { name: '3 here' }).click();
    await ana.page.locator('chat-room .members button.person', { hasText: 'Luis' }).click();
    await ana.page.getByRole('button', { name: 'Call Luis' }).click();
    await expect.poll(() => banner(luis.page).textContent()).toContain('Ana te está llamando (videollamada)');
    expect(await said(luis.page)).toBe('Ana te está llamando (videollamada)');
    expect(await axeViolations(luis.page), 'axe-core: the incoming call banner').toEqual([]);
    await shoot(luis.page, 'call-banner', 'chat-room', '/tmp/h8/shots/');
    await expect.poll(() => eva.page.getByRole('button', { name: 'Join the call' }).count()).toBe(1);
    await luis.page.getByRole('button', { name: 'Aceptar' }).click();
    await expect.poll(() => view(ana.page).count()).toBe(1);
    await expect.poll(() => view(luis.page).count()).toBe(1);
    try {
      await expect.poll(() => framesDecoded(ana.page), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect.poll(() => framesDecoded(luis.page), { timeout: 15_000 }).toBeGreaterThan(0);
    } catch (e) {
      console.log('ANA', JSON.stringify(await dump(ana.page)));
      console.log('LUIS', JSON.stringify(await dump(luis.page)));
      throw e;
    }
    void eva;
  });
});
