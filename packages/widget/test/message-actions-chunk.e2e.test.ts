import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { MESSAGE_TOOLS_CHUNK, widgetFiles } from '../../../test-support/widget-files.js';
import { contextExpecting } from './expected-errors.js';

// A message's actions (reply, react, edit, delete, report, thread) are not in chat-room.min.js: they
// come with what they open, in chat-room.message-tools.js, which the log fetches as it draws its
// first messages, after the first view. Until it is in, a message shows no actions; a key that opens
// them waits for it. Where the file is not served, the widget says which file to serve, and the
// messages are read and written as before.

/** `held`: the chunk is served once `release()` is called (a slow network), not before. */
async function startSite(served: boolean | 'held') {
  const { fetched, serve } = widgetFiles(served ? [MESSAGE_TOOLS_CHUNK] : [], { watched: [MESSAGE_TOOLS_CHUNK] });
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  if (served !== 'held') release();
  let asked = false;
  const http = createServer((req, res) => {
    if (req.url === `/${MESSAGE_TOOLS_CHUNK}`) {
      asked = true;
      return void released.then(() => serve(req, res) || res.writeHead(404).end());
    }
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room server="${url.searchParams.get('server')}" room="plaza"></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({}, http);
  await site.chat.createRoom({ id: 'plaza', title: 'Plaza' });
  const browser = await launchBrowser();
  // Where the chunk is not served, the browser logs its 404 itself; any other error is the page's.
  const { context, errors: pageErrors } = await contextExpecting(browser, served ? /^$/u : /404/u);
  const page = await context.newPage();
  await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url })}`);
  const luis = await sdkClient(site.url, { auth: { name: 'Luis' }, autoAway: false }).join('plaza');
  return { page, fetched, pageErrors, luis, release, asked: () => asked };
}

const widget = (page: Page) => page.locator('chat-room');
const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);
const alerts = async (page: Page) => (await widget(page).getByRole('alert').allTextContents()).join(' ').trim();
const articles = (page: Page) => widget(page).locator('[role=article]');
/** The name of what has focus in the widget (a button's label, else its text). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.querySelector('chat-room')?.shadowRoot?.activeElement;
    return active?.getAttribute('aria-label') ?? active?.getAttribute('role') ?? active?.tagName;
  });

async function join(page: Page, name: string): Promise<void> {
  const field = widget(page).getByRole('textbox', { name: 'Your name' });
  await field.fill(name);
  await field.press('Enter');
  await expect.poll(() => widget(page).getByRole('textbox', { name: 'Message' }).count()).toBe(1);
}

describe.skipIf(skipWithoutChromium())("a message's actions, a chunk of their own", { timeout: 60_000 }, () => {
  it('are fetched once, as the first messages are drawn; then shown on hover, and opened with Enter', async () => {
    const { page, fetched, pageErrors, luis } = await startSite(true);
    await join(page, 'Bea');
    // The first view (the name prompt, then an empty room) draws no message: nothing fetched for them.
    expect(fetched).toEqual(['/chat-room.min.js']);
    await luis.send('hola, Bea');
    await expect.poll(() => articles(page).count()).toBe(1);
    await expect.poll(() => fetched).toEqual(['/chat-room.min.js', `/${MESSAGE_TOOLS_CHUNK}`]);
    // Drawn, hidden until the message is hovered or focused; hovered, it shows them.
    const actions = articles(page).first().locator('.actions');
    await expect.poll(() => actions.evaluate((a) => getComputedStyle(a).visibility)).toBe('hidden');
    await articles(page).first().hover();
    await expect.poll(() => articles(page).first().getByRole('button', { name: 'Reply', exact: true }).isVisible()).toBe(true);
    expect(await axeViolations(page, 'chat-room')).toEqual([]);
    // From the keyboard: the message, then Enter, and focus is on its first action.
    await articles(page).first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe('Reply');
    await page.keyboard.press('Enter');
    await expect.poll(() => widget(page).getByText('Replying to Luis', { exact: false }).count()).toBe(1);
    expect(await alerts(page)).toBe('');
    await luis.send('¿qué tal?');
    await expect.poll(() => articles(page).count()).toBe(2);
    expect(fetched).toHaveLength(2);
    expect(await events(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a key pressed before the chunk is in opens the actions once it is, where focus still is', async () => {
    const { page, pageErrors, luis, release, asked } = await startSite('held');
    await join(page, 'Bea');
    await luis.send('hola, Bea');
    await expect.poll(() => articles(page).count()).toBe(1);
    await expect.poll(asked).toBe(true);
    await articles(page).first().focus();
    await page.keyboard.press('Enter');
    expect(await articles(page).first().locator('.actions').count()).toBe(0);
    release();
    await expect.poll(() => focused(page)).toBe('Reply');
    expect(await axeViolations(page, 'chat-room')).toEqual([]);
    expect(await events(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('where chat-room.message-tools.js is not served, the widget says which file to serve, and the room goes on without actions', async () => {
    const { page, fetched, pageErrors, luis } = await startSite(false);
    await join(page, 'Bea');
    await luis.send('hola, Bea');
    await expect.poll(() => fetched).toContain(`/${MESSAGE_TOOLS_CHUNK}`);
    const message = "A message's actions could not be loaded (chat-room.message-tools.js must be served next to chat-room.min.js).";
    await expect.poll(() => events(page)).toEqual([message]);
    await expect.poll(() => alerts(page)).toContain(message);
    await articles(page).first().hover();
    expect(await articles(page).first().getByRole('button', { name: 'Reply', exact: true }).count()).toBe(0);
    // Read and written as before.
    const composer = widget(page).getByRole('textbox', { name: 'Message' });
    await composer.fill('¡hola, Luis!');
    await composer.press('Enter');
    await expect
      .poll(() => articles(page).allTextContents())
      .toEqual([expect.stringContaining('hola, Bea'), expect.stringContaining('¡hola, Luis!')]);
    expect(await axeViolations(page, 'chat-room')).toEqual([]);
    expect(await events(page)).toEqual([message]);
    expect(pageErrors).toEqual([]);
  });
});
