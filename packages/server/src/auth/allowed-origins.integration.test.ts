import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { Fetch, io as ioClient } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ChatErrorData } from '@chat/protocol';
import { ConnectionState } from '@chat/client';
import { sdkClient, startChat, track } from '../../../../test-support/servers.js';

const ALLOWED = ['https://portal.example', 'http://localhost:5173'];
const FOREIGN_MESSAGE = 'Pages on https://evil.example may not use this chat: that origin is not in its allowedOrigins.';
const NULL_MESSAGE = 'Pages without an origin of their own (sandboxed frames, file:// pages) may not use this chat.';

type Outcome = { connected: true } | { connected: false; message: string; data?: ChatErrorData };

// A real socket.io-client over one transport only: WebSocket (the ws package sends an Origin
// only when given one) or polling over fetch (Node's XHR shim drops an Origin header).
function connect(url: string, transport: 'websocket' | 'polling', origin?: string, namespace = '/'): Promise<Outcome> {
  const socket = ioClient(`${url}${namespace}`, {
    auth: { name: 'Ana' },
    transports: transport === 'websocket' ? ['websocket'] : [Fetch],
    upgrade: false,
    reconnection: false,
    forceNew: true,
    ...(origin !== undefined && { extraHeaders: { origin } }),
  });
  track(() => {
    socket.disconnect();
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (error: Error & { data?: ChatErrorData }) =>
      resolve({ connected: false, message: error.message, ...(error.data !== undefined && { data: error.data }) }),
    );
  });
}

describe('allowedOrigins', () => {
  for (const transport of ['websocket', 'polling'] as const) {
    it(`over ${transport}: listed origins and clients without an Origin connect; foreign and null ones get FORBIDDEN before authenticate`, async () => {
      const names: string[] = [];
      const { url } = await startChat({
        allowedOrigins: ALLOWED,
        cors: { origin: true },
        authenticate: ({ auth }) => {
          names.push(String(auth['name']));
          return { id: String(auth['name']), name: String(auth['name']) };
        },
      });
      expect(await connect(url, transport, 'https://portal.example')).toEqual({ connected: true });
      expect(await connect(url, transport, 'https://PORTAL.example:443')).toEqual({ connected: true });
      expect(await connect(url, transport, 'http://localhost:5173')).toEqual({ connected: true });
      expect(await connect(url, transport)).toEqual({ connected: true });
      expect(names).toHaveLength(4);

      for (const [origin, message] of [
        ['https://evil.example', FOREIGN_MESSAGE],
        ['null', NULL_MESSAGE],
        ['http://portal.example', 'Pages on http://portal.example may not use this chat: that origin is not in its allowedOrigins.'],
        ['http://localhost:3000', 'Pages on http://localhost:3000 may not use this chat: that origin is not in its allowedOrigins.'],
      ] as const) {
        expect(await connect(url, transport, origin)).toEqual({
          connected: false,
          message,
          data: { code: 'FORBIDDEN', lang: 'en', message },
        });
      }
      expect(names).toHaveLength(4);
    });
  }

  it('holds on a Socket.IO server the host passed in (own namespace), and lets the host’s other namespaces be', async () => {
    const http = createServer();
    const io = new Server(http);
    io.of('/public').on('connection', () => undefined);
    await startChat({ io, namespace: '/chat', allowedOrigins: ALLOWED }, http);
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    track(() => io.close()); // settles once its HTTP server has closed
    for (const transport of ['websocket', 'polling'] as const) {
      expect(await connect(url, transport, 'https://portal.example', '/chat')).toEqual({ connected: true });
      expect(await connect(url, transport, 'https://evil.example', '/chat')).toMatchObject({
        connected: false,
        data: { code: 'FORBIDDEN' },
      });
      expect(await connect(url, transport, 'null', '/chat')).toMatchObject({ connected: false, data: { code: 'FORBIDDEN' } });
      expect(await connect(url, transport, 'https://evil.example', '/public')).toEqual({ connected: true });
    }
  });

  it('the SDK shows the refusal as a FORBIDDEN error and stops', async () => {
    const { url } = await startChat({ allowedOrigins: ALLOWED });
    const client = sdkClient(url, { socketOptions: { extraHeaders: { origin: 'https://evil.example' } } });
    const error = await new Promise((resolve) => client.on('error', resolve));
    expect(error).toMatchObject({ code: 'FORBIDDEN', lang: 'en', message: FOREIGN_MESSAGE });
    expect(client.state).toBe(ConnectionState.DISCONNECTED);
  });

  it('REST: a foreign or null Origin is 403 FORBIDDEN with a sentence; listed ones and none pass', async () => {
    let authenticated = 0;
    const { chat, url } = await startChat(
      {
        allowedOrigins: ALLOWED,
        authenticate: () => {
          authenticated++;
          return { id: 'host', name: 'Host' };
        },
      },
      createServer((req, res) => handler(req, res)),
    );
    const handler = chat.httpHandler();
    const get = async (origin?: string, method = 'GET') => {
      const res = await fetch(`${url}/rooms`, {
        method,
        headers: { authorization: 'Bearer t', 'content-type': 'application/json', ...(origin !== undefined && { origin }) },
        ...(method === 'POST' && { body: JSON.stringify({ title: 'x' }) }),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    expect(await get('https://evil.example')).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', lang: 'en', message: FOREIGN_MESSAGE } },
    });
    expect(await get('https://evil.example', 'POST')).toEqual({
      status: 403,
      body: { error: { code: 'FORBIDDEN', lang: 'en', message: FOREIGN_MESSAGE } },
    });
    expect(await get('null')).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', lang: 'en', message: NULL_MESSAGE } } });
    expect(authenticated).toBe(0);
    expect(await chat.listRooms()).toEqual([]);
    expect((await get('https://portal.example')).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get('http://localhost:5173', 'POST')).status).toBe(201);
  });

  it('a list entry that is not an origin stops the server from starting', async () => {
    await expect(startChat({ allowedOrigins: ['*'] })).rejects.toThrow(TypeError);
  });
});
