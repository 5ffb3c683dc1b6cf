import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { createServiceWorkerHandler, createWidgetHandler, type WidgetHandlerOptions } from './widget-files.js';
import { startChat, track } from '../../../../../test-support/servers.js';

// chat.widgetHandler(): the widget's files for pages on any origin (issue 30, item 3).

/** A folder with a widget's files as a build leaves them. */
function widgetDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'widget-'));
  writeFileSync(join(dir, 'chat-room.min.js'), 'console.log("widget")');
  writeFileSync(join(dir, 'chat-room.es.js'), 'export const es = 1;');
  writeFileSync(join(dir, 'chat-room.call.esm.js.map'), '{}');
  writeFileSync(join(dir, 'secret.txt'), 'not for you');
  return dir;
}

/** The handler mounted at /widget of a node:http server (the rest of the app answers 418). */
async function serve(options: WidgetHandlerOptions): Promise<string> {
  const handler = createWidgetHandler(options);
  const http: Server = createServer((req, res) => {
    if (!req.url?.startsWith('/widget/')) return void res.writeHead(418).end();
    handler(req, res, () => res.writeHead(418).end('next'));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  track(() => new Promise<void>((resolve) => http.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

describe('chat.widgetHandler()', () => {
  it('serves the widget’s files to any origin, as JavaScript, revalidated by ETag', async () => {
    const url = await serve({ dir: widgetDir() });
    const res = await fetch(`${url}/widget/chat-room.es.js`, { headers: { origin: 'https://portal.example' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('export const es = 1;');
    const names = [
      'access-control-allow-origin',
      'content-type',
      'cache-control',
      'x-content-type-options',
      'cross-origin-resource-policy',
    ];
    expect(Object.fromEntries(names.map((name) => [name, res.headers.get(name)]))).toEqual({
      'access-control-allow-origin': '*',
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
    });
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/u);
    const again = await fetch(`${url}/widget/chat-room.es.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('access-control-allow-origin')).toBe('*');
    const head = await fetch(`${url}/widget/chat-room.min.js?v=2`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, '21']);
    const map = await fetch(`${url}/widget/chat-room.call.esm.js.map`);
    expect([map.status, map.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
  });

  it('gives an origin list only to those origins, and passes on everything that is not a widget file', async () => {
    const url = await serve({ dir: widgetDir(), origins: ['https://portal.example'] });
    const portal = await fetch(`${url}/widget/chat-room.min.js`, { headers: { origin: 'https://portal.example' } });
    expect([portal.headers.get('access-control-allow-origin'), portal.headers.get('vary')]).toEqual(['https://portal.example', 'Origin']);
    const other = await fetch(`${url}/widget/chat-room.min.js`, { headers: { origin: 'https://evil.example' } });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([200, null]);
    // Not a widget file, a file that is not there, a path out of the folder, another method: next().
    for (const path of ['secret.txt', 'chat-room.nope.js', '..%2Fsecret.txt', 'chat-room..js', '%2e%2e/secret.txt', 'chat-room.min.js/x']) {
      const res = await fetch(`${url}/widget/${path}`);
      expect([path, res.status]).toEqual([path, 418]);
    }
    expect((await fetch(`${url}/widget/chat-room.min.js`, { method: 'POST' })).status).toBe(418);
  });

  it('without next, answers 404 with a sentence', async () => {
    const handler = createWidgetHandler({ dir: widgetDir() });
    const http = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    track(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const res = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/secret.txt`);
    expect([res.status, await res.text()]).toEqual([404, 'There is no such widget file.']);
  });

  it('refuses bad options with a sentence, at once', () => {
    const refused = (options: unknown) => {
      try {
        createWidgetHandler(options as WidgetHandlerOptions);
      } catch (error) {
        return error instanceof ChatError ? [error.code, error.message] : error;
      }
      return 'accepted';
    };
    expect(refused({ dir: tmpdir() })).toEqual([
      'VALIDATION_FAILED',
      `There is no chat-room.min.js in ${tmpdir()}: give widgetHandler the folder of the widget's built files.`,
    ]);
    for (const origins of ['https://portal.example', ['https://portal.example/page'], [42], ['*']]) {
      expect(refused({ dir: widgetDir(), origins })).toEqual([
        'VALIDATION_FAILED',
        "widgetHandler's origins must be '*' or a list of origins such as https://portal.example (no path).",
      ]);
    }
  });

  it('finds the installed @chat/widget by itself', async () => {
    const url = await serve({});
    const res = await fetch(`${url}/widget/chat-room.min.js`);
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(10_000);
  });
});

// chat.serviceWorkerHandler(): the push notifications' worker from the host's own site, in one line
// of an ES module app (issue 48, item 1). service-worker-file.e2e.test.ts registers it in Chromium.
describe('chat.serviceWorkerHandler()', () => {
  const shipped = readFileSync(new URL('../../../../widget/chat-sw.js', import.meta.url), 'utf8');

  it('serves @chat/widget/chat-sw.js where the docs mount it, as JavaScript any scope may use', async () => {
    const app = express();
    const { chat, url } = await startChat({}, createServer(app));
    app.get('/chat-sw.js', chat.serviceWorkerHandler());
    const res = await fetch(`${url}/chat-sw.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(shipped);
    const names = ['content-type', 'service-worker-allowed', 'cache-control', 'x-content-type-options', 'access-control-allow-origin'];
    expect(Object.fromEntries(names.map((name) => [name, res.headers.get(name)]))).toEqual({
      'content-type': 'text/javascript; charset=utf-8',
      'service-worker-allowed': '/',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': null,
    });
    const again = await fetch(`${url}/chat-sw.js`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    const head = await fetch(`${url}/chat-sw.js`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(Buffer.byteLength(shipped))]);
    // Another method goes on to the app (Express answers 404).
    expect((await fetch(`${url}/chat-sw.js`, { method: 'POST' })).status).toBe(404);
  });

  it('serves a file of the host’s own, answers 404 without next, and refuses a missing file at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-'));
    writeFileSync(join(dir, 'sw.js'), 'importScripts("/chat-sw.js");');
    const handler = createServiceWorkerHandler({ file: join(dir, 'sw.js') });
    const http = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    track(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    expect(await (await fetch(`${url}/sw.js`)).text()).toBe('importScripts("/chat-sw.js");');
    const post = await fetch(`${url}/sw.js`, { method: 'POST' });
    expect([post.status, await post.text()]).toEqual([404, 'There is no such file.']);
    let refused: unknown;
    try {
      createServiceWorkerHandler({ file: join(dir, 'nope.js') });
    } catch (error) {
      refused = error instanceof ChatError ? [error.code, error.message] : error;
    }
    expect(refused).toEqual([
      'VALIDATION_FAILED',
      `There is no file at ${join(dir, 'nope.js')}: give serviceWorkerHandler the path of the service worker.`,
    ]);
  });
});
