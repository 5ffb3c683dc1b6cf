import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as ioClient, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { AckResponse, ClientToServerEvents, ServerToClientEvents } from '@chat/protocol';
import { createChatServer, type ChatServer, type ChatServerOptions } from '@chat/server';
import { ChatClient, type ChatClientOptions } from '@chat/client';
import { track } from './tracked.js';
import { waitFor } from './wait.js';

/** A raw socket.io-client socket typed with the chat protocol. */
export type RawSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// Everything a test opened is closed after it (setup.ts), newest first, whatever the test's outcome.
export { track };

/** A running HTTP server with a chat server on 127.0.0.1, port 0. */
export interface TestChat {
  http: HttpServer;
  chat: ChatServer;
  url: string;
  port: number;
}

/** Starts an HTTP server on 127.0.0.1:0 with `createChatServer` on it; closed after the test. */
export async function startChat(options: ChatServerOptions = {}, http: HttpServer = createServer()): Promise<TestChat> {
  const chat = createChatServer(http, options);
  // A server already listening (a restart on the same port) is used as it is.
  if (!http.listening) await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  track(async () => {
    await chat.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return { http, chat, url: `http://127.0.0.1:${port}`, port };
}

/** A raw Socket.IO client (no SDK), connected or refused; closed after the test. */
export async function rawSocket(
  url: string,
  auth: Record<string, unknown> = { name: `user-${Math.random().toString(36).slice(2, 8)}` },
): Promise<RawSocket> {
  const socket: RawSocket = ioClient(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  track(() => {
    socket.disconnect();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** A ChatClient (the SDK) on the server; closed after the test. */
export function sdkClient(url: string, options: Partial<ChatClientOptions> = {}): ChatClient {
  const client = new ChatClient({
    url,
    auth: { name: `user-${Math.random().toString(36).slice(2, 8)}` },
    ...options,
    socketOptions: {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      ...options.socketOptions,
    },
  });
  track(() => client.close());
  return client;
}

/** Resolves with the next `event` a raw socket receives (matching `filter`, if given). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: RawSocket,
  event: E,
  filter: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve) => {
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!filter(...args)) return;
      (socket as unknown as { off(e: string, l: unknown): void }).off(event, listener);
      resolve(args[0]);
    };
    (socket as unknown as { on(e: string, l: unknown): void }).on(event, listener);
  });
}

/** Emits a request on a raw socket and resolves with its ack. */
export function request<E extends keyof ClientToServerEvents>(
  socket: RawSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<never> } })
    .timeout(5000)
    .emitWithAck(event, payload);
}

/** The data of an ack that must be `ok`; throws (failing the test, with the server's error) when it is not. */
export function okData<T>(response: AckResponse<T>): T {
  if (!response.ok) throw new Error(`Expected ok, got ${response.error.code}: ${response.error.message}`);
  return response.data;
}

/**
 * Stops a test chat server and starts a new one, with a new memory store, on the same port (as
 * the demo restarts): connected clients reconnect to it by themselves.
 */
export async function restartChat(old: TestChat, options: ChatServerOptions = {}): Promise<TestChat> {
  await old.chat.close();
  old.http.closeAllConnections();
  await new Promise<void>((resolve) => old.http.close(() => resolve()));
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(old.port, '127.0.0.1', resolve));
  return startChat(options, http);
}

/**
 * The server drops every connection, `whileAway` runs while the SDK waits to reconnect (it comes
 * back after a second), and this resolves once a new socket is in `roomId` again on the server:
 * the re-join has subscribed it to the room's broadcasts (the SDK's room says 'joined' all along,
 * so it cannot tell).
 */
export async function awayAndBack(chat: ChatServer, roomId: string, whileAway: () => Promise<void>): Promise<void> {
  const nsp = chat.io.of('/');
  const before = new Set(nsp.sockets.keys());
  nsp.disconnectSockets(true);
  await whileAway();
  await waitFor(() => {
    const members = [...(nsp.adapter.rooms.get(roomId) ?? [])];
    expect(members.length > 0 && members.every((id) => !before.has(id))).toBe(true);
  });
}
