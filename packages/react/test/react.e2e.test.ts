import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'tsup';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatRoomElement } from '@chat/widget';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { presenceLog, socketsInRoom, socketsOf } from './react-support.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The workspace packages from source, as the repository's tsconfig maps them (subpaths included). */
function sourceAliases(): Record<string, string> {
  const root = here('../../../');
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, [string]> };
  };
  return Object.fromEntries(Object.entries(compilerOptions.paths).map(([name, [path]]) => [name, join(root, path)]));
}

/**
 * Bundles the test page with esbuild (through tsup): React 19 and react-dom in their development
 * build (StrictMode mounts twice only there), @chat/react, the widget and the SDK from source
 * (the other browser tests use the built bundles; this one needs no build first).
 */
async function bundlePage(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'react-page-'));
  await build({
    config: false,
    silent: true,
    entry: { app: here('./fixtures/strict-mode-app.tsx') },
    outDir,
    format: ['iife'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/u],
    dts: false,
    sourcemap: false,
    env: { NODE_ENV: 'development' },
    esbuildOptions(options) {
      options.jsx = 'automatic';
      options.alias = sourceAliases();
    },
  });
  return readFileSync(join(outDir, 'app.global.js'), 'utf8');
}

let bundle = '';
beforeAll(async () => {
  if (!skipWithoutChromium()) bundle = await bundlePage();
}, 120_000);

/** The page and its bundle, served next to a chat server; a Node SDK client "Ana" in the room. */
async function startSite() {
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/app.js') {
      res.setHeader('content-type', 'text/javascript');
      return res.end(bundle);
    }
    if (url.pathname !== '/') return res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>React page</title></head><body><div id="root"></div><script src="/app.js"></script></body></html>',
    );
  });
  const site = await startChat({ presenceCoalesceMs: 20 }, http);
  const log = presenceLog(site.chat);
  const ana = await sdkClient(site.url, { auth: { name: 'Ana' } }).join('lobby');
  const browser = await launchBrowser();
  const page = await (await browser.newContext()).newPage(); // its errors fail the test
  await page.goto(`${site.url}/?${new URLSearchParams({ server: site.url, room: 'lobby', name: 'Rea' })}`);
  return { ...site, log, ana, page };
}

const listState = (page: Page) => page.locator('#list').getAttribute('data-state');
const widgetState = (page: Page) => page.evaluate(() => document.querySelector<ChatRoomElement>('chat-room')?.chatRoom?.state ?? null);

describe.skipIf(skipWithoutChromium())('@chat/react in Chromium (React 19, StrictMode)', () => {
  it('joins once despite the double mount, exchanges messages both ways with a Node client, and leaves on unmount', async () => {
    const { chat, log, ana, page } = await startSite();
    await expect.poll(() => listState(page)).toBe('joined');
    await expect.poll(() => widgetState(page)).toBe('joined');
    // StrictMode did mount the list twice (development build), yet the server has one socket
    // of the user, in the room once, joined once and never left; Node sees one member entry.
    expect(await page.evaluate(() => window.mounts)).toBe(2);
    expect(socketsOf(chat, 'Rea')).toBe(1);
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1);
    expect(log.joins('lobby', 'Rea')).toBe(1);
    expect(log.leaves('lobby', 'Rea')).toBe(0);
    await waitFor(() => expect(ana.members.filter((m) => m.name === 'Rea')).toHaveLength(1));
    await expect.poll(() => page.locator('#members li').allTextContents()).toEqual(expect.arrayContaining(['Ana', 'Rea']));
    expect(await page.locator('#members li').count()).toBe(2);

    // Node -> React: the hook's list and the widget show it; the widget's event reached its prop.
    await ana.send('hola from Node');
    await expect.poll(() => page.locator('#messages li').allTextContents()).toContain('Ana: hola from Node');
    await expect.poll(() => page.locator('chat-room .message .text').allTextContents()).toContain('hola from Node');
    await expect.poll(() => page.evaluate(() => window.events)).toContainEqual(['chat-message', 'hola from Node']);
    expect(await page.evaluate(() => window.events.filter(([type]) => type === 'chat-join'))).toEqual([['chat-join', 'lobby']]);

    // React -> Node, from the hook's send and from the widget's composer.
    await page.getByRole('textbox', { name: 'Draft' }).fill('hi from the hook');
    await page.getByRole('textbox', { name: 'Draft' }).press('Enter');
    await waitFor(() => expect(ana.messages.map((m) => `${m.user.name}: ${m.text}`)).toContain('Rea: hi from the hook'));
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('hi from the widget');
    await composer.press('Enter');
    await waitFor(() => expect(ana.messages.map((m) => `${m.user.name}: ${m.text}`)).toContain('Rea: hi from the widget'));
    await expect
      .poll(() => page.locator('#messages li').allTextContents())
      .toEqual(['Ana: hola from Node', 'Rea: hi from the hook', 'Rea: hi from the widget']);

    // Unmount: the Node client sees the React user leave; the provider's connection is closed.
    const left = new Promise<string[]>((resolve) => ana.on('presence', ({ left }) => left.length > 0 && resolve(left.map((m) => m.name))));
    await page.getByRole('button', { name: 'Close chat' }).click();
    expect(await left).toEqual(['Rea']);
    await waitFor(() => expect(socketsOf(chat, 'Rea')).toBe(0));
    expect(log.leaves('lobby', 'Rea')).toBe(1);

    // Mounted again (StrictMode again): one new connection, in the room once.
    await page.getByRole('button', { name: 'Open chat' }).click();
    await expect.poll(() => listState(page)).toBe('joined');
    await expect.poll(() => widgetState(page)).toBe('joined');
    expect(socketsOf(chat, 'Rea')).toBe(1);
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1);
    await waitFor(() => expect(ana.members.filter((m) => m.name === 'Rea')).toHaveLength(1));
    expect(log.joins('lobby', 'Rea')).toBe(2);
  });
});
