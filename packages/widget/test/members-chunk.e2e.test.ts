import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { okData, rawSocket, request, startChat } from '../../../test-support/servers.js';
import { widgetFiles } from '../../../test-support/widget-files.js';
import { contextExpecting } from './expected-errors.js';

// The SDK's paging of a large room's members (room/member-pages.ts) is not in chat-room.min.js:
// chat-room.members.js, fetched by the people panel's first "Show more people" (the join's first
// page and the count are drawn without it). Where it is not served, the press says which file to
// serve, and the list and its button stay.

const MEMBERS_CHUNK = 'chat-room.members.js';
const PANELS = ['chat-room.panels.js'];

/** A large room (55 guests, from 5 members) and a page with `<chat-room>` in it, the files `served` next to the script. */
async function startSite(served: readonly string[]) {
  const { fetched, serve } = widgetFiles(served);
  const http = createServer((req, res) => {
    if (serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/page') return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head>
      <body><chat-room server="${url.searchParams.get('server')}" room="stage"></chat-room>
      <script>window.events=[];document.addEventListener('chat-error', e => window.events.push(e.detail.error.message));</script>
      <script src="/chat-room.min.js"></script></body></html>`);
  });
  const site = await startChat({ presenceCoalesceMs: 20, largeRoomThreshold: 5 }, http);
  await site.chat.createRoom({ id: 'stage', title: 'Stage' });
  for (let i = 0; i < 55; i++) {
    const socket = await rawSocket(site.url, { name: `Guest ${String(i).padStart(2, '0')}` });
    okData(await request(socket, 'room:join', { roomId: 'stage' }));
  }
  const browser = await launchBrowser();
  // Where the chunk is not served, the browser logs its 404 itself; any other error is the page's.
  const { context, errors } = await contextExpecting(browser, served.includes(MEMBERS_CHUNK) ? /^$/u : /404/u);
  const page = await context.newPage();
  await page.goto(`${site.url}/page?${new URLSearchParams({ server: site.url })}`);
  const field = page.locator('chat-room').getByRole('textbox', { name: 'Your name' });
  await field.fill('Ana');
  await field.press('Enter');
  const toggle = page.locator('chat-room header button[aria-controls=members]');
  await expect.poll(() => toggle.textContent()).toContain('56 here');
  await toggle.click();
  const panel = page.getByRole('region', { name: 'People here' });
  await expect.poll(() => panel.locator('li').count()).toBe(50);
  return { page, panel, fetched, errors };
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);
const alerts = async (page: Page) => (await page.locator('chat-room').getByRole('alert').allTextContents()).join(' ').trim();

describe.skipIf(skipWithoutChromium())("the members chunk of the script-tag bundle (a large room's pages)", { timeout: 60_000 }, () => {
  it('is fetched by the first "Show more people", not before, and pages the rest in', async () => {
    const { page, panel, fetched, errors } = await startSite([...PANELS, MEMBERS_CHUNK]);
    // The count, the join's first page and the panel drew without it.
    expect(fetched).not.toContain(`/${MEMBERS_CHUNK}`);
    expect(await panel.locator('.members-shown').textContent()).toBe('Showing 50 of 56');
    await panel.getByRole('button', { name: 'Show more people' }).click();
    await expect.poll(() => panel.locator('li').count()).toBe(56);
    expect(fetched.filter((path) => path === `/${MEMBERS_CHUNK}`)).toHaveLength(1);
    expect(await panel.getByRole('button', { name: 'Show more people' }).count()).toBe(0);
    expect(await axeViolations(page), 'axe-core: every member paged in').toEqual([]);
    expect(await events(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('where it is not served, the press says which file to serve; the list and its button stay', async () => {
    const { page, panel, fetched, errors } = await startSite(PANELS);
    await panel.getByRole('button', { name: 'Show more people' }).click();
    await expect.poll(() => fetched).toContain(`/${MEMBERS_CHUNK}`);
    const message = 'More people could not be loaded (chat-room.members.js must be served next to chat-room.min.js).';
    await expect.poll(() => events(page)).toEqual([message]);
    await expect.poll(() => alerts(page)).toContain(message);
    expect(await panel.locator('li').count()).toBe(50);
    expect(await panel.getByRole('button', { name: 'Show more people' }).count()).toBe(1);
    expect(await axeViolations(page), 'axe-core: the missing file said').toEqual([]);
    expect(errors).toEqual([]);
  });
});
