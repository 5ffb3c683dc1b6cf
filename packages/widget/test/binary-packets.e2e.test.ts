import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { launchBrowser, skipWithoutChromium } from '../../../test-support/browser.js';
import { startChat } from '../../../test-support/servers.js';

// chat-room.min.js cannot read Socket.IO binary packets (rollup.config.mjs, withoutBinaryReading:
// the chat protocol is JSON). Should one arrive anyway, over WebSocket or over long-polling (where
// binary comes base64-encoded), the connection must fail loudly and come back, never hand the page
// corrupt data.
const bundle = readFileSync(fileURLToPath(new URL('../dist/chat-room.min.js', import.meta.url)));
// Long-polling is a chunk of its own, which a client given `transports: ['polling']` loads first.
const polling = readFileSync(fileURLToPath(new URL('../dist/chat-room.polling.js', import.meta.url)));

type Seen = { state: string; disconnects: Array<[string, string | undefined]>; events: unknown[] };

describe.skipIf(skipWithoutChromium())('binary packets and the script-tag bundle', () => {
  it.each([['websocket'], ['polling']])(
    'a binary packet over %s closes the connection with "parse error"; the client reconnects',
    async (transport) => {
      const http = createServer((req, res) => {
        if (req.url === '/chat-room.min.js' || req.url === '/chat-room.polling.js') {
          res.setHeader('content-type', 'text/javascript');
          return void res.end(req.url === '/chat-room.min.js' ? bundle : polling);
        }
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title></head><body><script src="/chat-room.min.js"></script></body></html>',
        );
      });
      const { url, chat } = await startChat({}, http);
      const page = await (await (await launchBrowser()).newContext()).newPage();
      await page.goto(`${url}/`);
      // A ChatClient of the bundle on one transport, recording its socket's disconnects and any event it hears.
      await page.evaluate(
        ({ url, transport }) => {
          type Client = {
            state: string;
            socket: { on(e: string, f: (...a: unknown[]) => void): void; onAny(f: (...a: unknown[]) => void): void };
          };
          const { ChatClient } = (window as unknown as { ChatWidget: { ChatClient: new (o: object) => Client } }).ChatWidget;
          const client = new ChatClient({ url, auth: { name: 'Bea' }, autoAway: false, socketOptions: { transports: [transport] } });
          const seen: Seen = { state: '', disconnects: [], events: [] };
          client.socket.on('disconnect', (reason, details) =>
            seen.disconnects.push([String(reason), (details as Error | undefined)?.message]),
          );
          client.socket.onAny((...args) => seen.events.push(args));
          Object.assign(window, { seen, client });
        },
        { url, transport },
      );
      const seen = () =>
        page.evaluate(() => ({
          ...(window as unknown as { seen: Seen }).seen,
          state: (window as unknown as { client: { state: string } }).client.state,
        }));
      await expect.poll(async () => (await seen()).state).toBe('connected');
      expect(chat.io.of('/').sockets.size).toBe(1);
      for (const socket of chat.io.of('/').sockets.values()) {
        expect(socket.conn.transport.name).toBe(transport);
        // Not a chat event: the typed server socket knows none with binary, which is the point.
        (socket as unknown as { emit(event: string, data: Uint8Array): void }).emit('bytes', new Uint8Array([1, 2, 3]));
      }

      await expect
        .poll(async () => (await seen()).disconnects)
        .toEqual([['parse error', 'A binary packet came: the chat protocol has none, and this bundle cannot read one.']]);
      await expect.poll(async () => (await seen()).state).toBe('connected');
      expect((await seen()).events).toEqual([]);
    },
  );
});
