import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@chat/protocol';
import { sdkClient, startChat, track, type TestChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { ChatClient } from './chat-client.js';

// A client connects over WebSocket, and loads and uses HTTP long-polling only where a WebSocket
// cannot open: refused (a proxy that answers the upgrade with an error) or held (a proxy that
// never answers it, caught by the first try's short timeout).

/** The server's transports, and what its HTTP server saw of long-polling. */
function watch(server: TestChat) {
  let polls = 0;
  server.http.prependListener('request', (req) => {
    if (req.url?.includes('transport=polling')) polls++;
  });
  const held: Socket[] = [];
  track(() => held.forEach((socket) => socket.destroy()));
  const original = server.http.listeners('upgrade') as ((...args: unknown[]) => void)[];
  const upgrades = (how: 'answered' | 'refused' | 'held') => {
    server.http.removeAllListeners('upgrade');
    if (how === 'answered') for (const listener of original) server.http.on('upgrade', listener);
    else server.http.on('upgrade', (_req, socket: Socket) => (how === 'held' ? held.push(socket) : socket.destroy()));
  };
  /** The transport of each user's socket, by name. */
  const transports = () =>
    Object.fromEntries([...server.chat.io.of('/').sockets.values()].map((s) => [s.handshake.auth['name'], s.conn.transport.name]));
  return { polls: () => polls, upgrades, transports };
}

/** The SDK's own choice of transports (the tests' `sdkClient` names WebSocket). */
const byDefault = { socketOptions: { transports: undefined } };

/** `client` and another (on `transports`) talk in a room. */
async function talks(client: ChatClient, server: TestChat, transports?: string[]): Promise<void> {
  const room = await client.join('lobby');
  const other = await sdkClient(server.url, { auth: { name: 'Other' }, socketOptions: { transports } }).join('lobby');
  await room.send('over this transport');
  await waitFor(() => expect(other.messages.map((m) => m.text)).toEqual(['over this transport']));
  await other.send('and back');
  await waitFor(() => expect(room.messages.map((m) => m.text)).toEqual(['over this transport', 'and back']));
}

describe('transports: WebSocket first, long-polling where it cannot open', () => {
  it('connects over WebSocket and never asks for long-polling', async () => {
    const server = await startChat();
    const seen = watch(server);
    const client = sdkClient(server.url, { auth: { name: 'Ana' }, ...byDefault });
    await talks(client, server);
    expect(seen.transports()).toEqual({ Ana: 'websocket', Other: 'websocket' });
    expect(seen.polls()).toBe(0);
    // The first try's short timeout is socket.io's own again (20 s, or none) once a WebSocket opened.
    expect(client.socket.io.timeout()).toBe(20_000);
    const untimed = sdkClient(server.url, {
      auth: { name: 'Bea' },
      socketOptions: { transports: undefined, timeout: false as unknown as number },
    });
    await waitFor(() => expect(untimed.state).toBe('connected'));
    expect(untimed.socket.io.timeout()).toBe(false);
    expect(seen.polls()).toBe(0);
  });

  it('where WebSockets are refused, it connects over long-polling and everything works', async () => {
    const server = await startChat();
    const seen = watch(server);
    seen.upgrades('refused');
    const client = sdkClient(server.url, { auth: { name: 'Ana' }, ...byDefault });
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    await waitFor(() => expect(client.state).toBe('connected'));
    expect(seen.transports()).toEqual({ Ana: 'polling' });
    await talks(client, server, ['polling']);
    expect(errors).toEqual([]);
  });

  it('where a proxy holds WebSockets (no answer at all), it falls back to long-polling instead of waiting 20 s', async () => {
    const server = await startChat();
    const seen = watch(server);
    seen.upgrades('held');
    const client = sdkClient(server.url, { auth: { name: 'Ana' }, ...byDefault });
    // Without the first try's own timeout, socket.io would try WebSocket alone again after 20 s.
    await waitFor(() => expect(client.state).toBe('connected'));
    expect(seen.transports()).toEqual({ Ana: 'polling' });
    // The upgrade to WebSocket is held too: the connection stays on long-polling and keeps working.
    await talks(client, server, ['polling']);
    expect(seen.transports()).toEqual({ Ana: 'polling', Other: 'polling' });
  });

  it('once a WebSocket opened, a later outage does not switch to long-polling', async () => {
    const server = await startChat();
    const seen = watch(server);
    const client = sdkClient(server.url, { auth: { name: 'Ana' }, ...byDefault });
    const room = await client.join('lobby');
    seen.upgrades('refused');
    let failedTries = 0;
    client.socket.io.on('reconnect_error', () => failedTries++);
    for (const socket of server.chat.io.of('/').sockets.values()) socket.conn.close();
    await waitFor(() => expect(failedTries).toBeGreaterThanOrEqual(3));
    expect(client.state).toBe('reconnecting');
    seen.upgrades('answered');
    await waitFor(() => expect(seen.transports()).toEqual({ Ana: 'websocket' }));
    await waitFor(() => expect(room.state).toBe('joined'));
    expect(seen.polls()).toBe(0);
  });

  it('a client on a connection another client opened (same server, another namespace) never switches it to long-polling', async () => {
    const server = await startChat();
    const seen = watch(server);
    server.chat.io.of('/admin');
    const shared = { forceNew: false, transports: undefined };
    const first = sdkClient(server.url, { auth: { name: 'Ana' }, socketOptions: shared });
    await waitFor(() => expect(first.state).toBe('connected'));
    const second = sdkClient(server.url, { auth: { name: 'Ana' }, namespace: '/admin', socketOptions: shared });
    expect(second.socket.io).toBe(first.socket.io);
    await waitFor(() => expect(second.state).toBe('connected'));
    // An outage after both connected over WebSocket: the connection stays on WebSocket.
    seen.upgrades('refused');
    let failedTries = 0;
    first.socket.io.on('reconnect_error', () => failedTries++);
    for (const socket of server.chat.io.of('/').sockets.values()) socket.conn.close();
    await waitFor(() => expect(failedTries).toBeGreaterThanOrEqual(3));
    seen.upgrades('answered');
    await waitFor(() => expect([first.state, second.state]).toEqual(['connected', 'connected']));
    expect(seen.polls()).toBe(0);
  });

  it('a client on a connection whose first client named long-polling (it waits for the chunk) still connects', async () => {
    const server = await startChat();
    server.chat.io.of('/admin');
    const named = sdkClient(server.url, {
      auth: { name: 'Bea' },
      socketOptions: { forceNew: false, transports: ['polling', 'websocket'] },
    });
    const beside = sdkClient(server.url, { auth: { name: 'Bea' }, namespace: '/admin', socketOptions: { forceNew: false } });
    expect(beside.socket.io).toBe(named.socket.io);
    await waitFor(() => expect([named.state, beside.state]).toEqual(['connected', 'connected']));
  });

  it('transports named in socketOptions are used in that order: long-polling alone, or upgraded', async () => {
    const server = await startChat();
    const seen = watch(server);
    const polling = sdkClient(server.url, { auth: { name: 'Ana' }, socketOptions: { transports: ['polling'] } });
    await waitFor(() => expect(polling.state).toBe('connected'));
    expect(seen.transports()).toEqual({ Ana: 'polling' });
    polling.close();
    await waitFor(() => expect(seen.transports()).toEqual({}));
    const upgraded = sdkClient(server.url, { auth: { name: 'Bea' }, socketOptions: { transports: ['polling', 'websocket'] } });
    await upgraded.join('lobby');
    await waitFor(() => expect(seen.transports()).toEqual({ Bea: 'websocket' }));
    expect(seen.polls()).toBeGreaterThan(0);
    // `autoConnect: false` is kept: named transports load first, and the socket waits to be told.
    const later = sdkClient(server.url, { auth: { name: 'Cara' }, socketOptions: { transports: ['polling'], autoConnect: false } });
    await waitFor(() => expect(typeof later.socket.io.opts.transports?.[0]).toBe('function'));
    expect(later.socket.connected).toBe(false);
    later.socket.connect();
    await waitFor(() => expect(later.state).toBe('connected'));
  });

  it('a transport socket.io-client does not know is refused at once, with a sentence', () => {
    const make = () => new ChatClient({ url: 'http://127.0.0.1:9', socketOptions: { transports: ['carrier-pigeon'] } });
    expect(make).toThrow(ChatError);
    expect(make).toThrow('socketOptions.transports names "carrier-pigeon": use "websocket", "polling" or "webtransport".');
  });
});
