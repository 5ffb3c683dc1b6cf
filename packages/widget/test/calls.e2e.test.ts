import { createServer } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ChatServerOptions } from '@chat/server';
import { axeViolations, launchBrowser, skipWithoutChromium, screenshot } from '../../../test-support/browser.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';

// Calls in the script-tag bundle, in Chromium with a fake camera and microphone: two (or three)
// people in separate browser contexts, real WebRTC between them, signalled through a real server.
// The call UI is the chunk chat-room.call.js, served next to chat-room.min.js as a user would.

async function startSite(options: ChatServerOptions = {}) {
  const { serve } = widgetFiles(['chat-room.call.js', 'chat-room.languages.js', 'chat-room.es.js', 'chat-room.panels.js']);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
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

/** A screenshot for docs/images (with DOCS_IMAGES=1; `docs: false`, only one to look at in artifacts/). */
function shoot(page: Page, name: string, selector: string, docs = true) {
  return screenshot(page.locator(selector), name, { docs });
}

// Three browser contexts with live media on a 2-core runner: slower than the other browser suites.
describe.skipIf(skipWithoutChromium())('<chat-room calls> in Chromium with fake devices', { timeout: 60_000 }, () => {
  it('A calls B, B accepts, both decode the other’s video; a third member gets no signalling; hang up ends it for both', async () => {
    const { url, browser } = await startSite();
    const ana = await open(browser, url, 'Ana');
    const luis = await open(browser, url, 'Luis', 'es');
    const eva = await open(browser, url, 'Eva');

    // Ana calls Luis from his card in the people panel: only he rings.
    await ana.page.getByRole('button', { name: '3 here' }).click();
    await ana.page.locator('chat-room .members button.person', { hasText: 'Luis' }).click();
    await ana.page.getByRole('button', { name: 'Call Luis' }).click();
    await expect.poll(() => banner(luis.page).textContent()).toContain('Ana te está llamando (videollamada)');
    expect(await said(luis.page)).toBe('Ana te está llamando (videollamada)');
    expect(await axeViolations(luis.page), 'axe-core: the incoming call banner').toEqual([]);
    await shoot(luis.page, 'call-banner', 'chat-room');
    // Eva is in the room, not rung: she sees that a call goes on, with a way to join.
    await expect.poll(() => eva.page.getByRole('button', { name: 'Join the call' }).count()).toBe(1);

    await luis.page.getByRole('button', { name: 'Aceptar' }).click();
    await expect.poll(() => view(ana.page).count()).toBe(1);
    await expect.poll(() => view(luis.page).count()).toBe(1);
    // The keyboard is where the buttons went: on the call's first control.
    await expect
      .poll(() => luis.page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.getAttribute('aria-label')))
      .toBe('Silenciar micrófono');
    await Promise.all([expectDecoding(ana.page), expectDecoding(luis.page)]);
    await expect.poll(() => said(ana.page)).toBe('Luis joined the call');
    expect(await axeViolations(ana.page), 'axe-core: the call view').toEqual([]);
    await ana.page.getByRole('button', { name: 'Hide people here' }).click();
    await shoot(ana.page, 'call-view', 'chat-room');
    await shoot(eva.page, 'call-going-on', 'chat-room header', false);

    // Mute and camera are toggles a screen reader hears as pressed.
    const mute = ana.page.getByRole('button', { name: 'Mute microphone' });
    await mute.click();
    expect(await mute.getAttribute('aria-pressed')).toBe('true');
    const camera = ana.page.getByRole('button', { name: 'Camera off' });
    await camera.press('Enter');
    expect(await camera.getAttribute('aria-pressed')).toBe('true');
    // Both show their slash: an SVG path with a box, not an HTML element inside the svg.
    const slashes = (button: typeof mute) =>
      button.locator('svg > *').evaluateAll((nodes) => nodes.map((node) => node instanceof SVGGraphicsElement && node.getBBox().width > 0));
    expect(await slashes(mute)).toEqual([true, true]);
    expect(await slashes(camera)).toEqual([true, true]);
    await shoot(ana.page, 'call-muted', 'chat-room .call-controls', false);

    expect(ana.signals.count).toBeGreaterThan(0);
    expect(luis.signals.count).toBeGreaterThan(0);
    expect(eva.signals.count, 'call:signal payloads received by a member not in the call').toBe(0);

    await ana.page.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(() => view(ana.page).count()).toBe(0);
    // Focus goes back to the header's call buttons, not to the list.
    await expect
      .poll(() => ana.page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.getAttribute('aria-label')))
      .toBe('Start an audio call');
    await expect.poll(() => view(luis.page).count()).toBe(0);
    await expect.poll(() => said(luis.page)).toBe('La llamada terminó.');
    await expect.poll(() => said(ana.page)).toBe('The call ended.');
    await expect.poll(() => eva.page.getByRole('button', { name: 'Join the call' }).count()).toBe(0);
  });

  it('B declines: the banner goes and the call ends for A', async () => {
    const { url, browser } = await startSite();
    const ana = await open(browser, url, 'Ana');
    const luis = await open(browser, url, 'Luis');
    await ana.page.getByRole('button', { name: 'Start an audio call' }).click();
    await expect.poll(() => view(ana.page).textContent()).toContain('Calling Luis…');
    await expect.poll(() => banner(luis.page).textContent()).toContain('Ana is calling you (audio call)');
    await luis.page.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => banner(luis.page).count()).toBe(0);
    await expect.poll(() => view(ana.page).count()).toBe(0);
    expect(await axeViolations(ana.page), 'axe-core: after a declined call').toEqual([]);
  });

  it('alone in an open call (five here, so nobody is rung): the view says it waits for the others', async () => {
    const { url, browser } = await startSite();
    for (const name of ['Luis', 'Eva', 'Ben', 'Sol']) await sdkClient(url, { auth: { name } }).join('consulta');
    const ana = await open(browser, url, 'Ana');
    await ana.page.getByRole('button', { name: 'Start an audio call' }).click();
    await expect.poll(() => ana.page.locator('chat-room .call-status').textContent()).toBe('Waiting for others to join…');
    expect(await axeViolations(ana.page), 'axe-core: alone in an open call').toEqual([]);
    await shoot(ana.page, 'call-waiting', 'chat-room section.call', false);
  });

  it('nobody answers: a missed call for B, the end for A', async () => {
    const { url, browser } = await startSite({ calls: { ringTimeoutMs: 3000 } });
    const ana = await open(browser, url, 'Ana');
    const luis = await open(browser, url, 'Luis');
    await ana.page.getByRole('button', { name: 'Start a video call' }).click();
    await expect.poll(() => banner(luis.page).count()).toBe(1);
    await expect.poll(() => banner(luis.page).count()).toBe(0);
    await expect.poll(() => said(luis.page)).toBe('Missed call from Ana');
    await expect.poll(() => view(ana.page).count()).toBe(0);
  });

  it("one side's page closes mid-call: the other side sees the call end", async () => {
    const { url, browser } = await startSite();
    const ana = await open(browser, url, 'Ana');
    const luis = await open(browser, url, 'Luis');
    await ana.page.getByRole('button', { name: 'Start a video call' }).click();
    await luis.page.getByRole('button', { name: 'Accept' }).click();
    await expectDecoding(ana.page);
    await luis.page.close();
    await expect.poll(() => view(ana.page).count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => said(ana.page)).toBe('The call ended.');
  });
});
