// The plugin shape (docs/plugins.md) as a host meets it: what `createChatServer` refuses, what a
// handler is given, and a store that implements the core alone.
import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type { Ack } from '@chat/protocol';
import { createChatServer, definePlugin, MemoryStore, type ChatStore } from '../index.js';
import { PostgresStore } from '../postgres.js';
import { awayAndBack, rawSocket, request, sdkClient, startChat } from '../../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../test-support/postgres.js';
import { waitFor } from '../../../../test-support/wait.js';

declare module '@chat/protocol' {
  interface CustomClientEvents {
    'test:echo': (payload: { text: string }, ack: Ack<{ text: string; user: string; roomId: string | null }>) => void;
    'test:fail': (payload: Record<string, never>, ack: Ack<never>) => void;
  }
}

const echo = definePlugin({
  name: 'echo',
  events: {
    'test:echo': async ({ user, payload, roomId }) => ({
      text: String((payload as { text?: unknown }).text),
      user: user.name,
      roomId: roomId ?? null,
    }),
  },
});

/** A store with the core of ChatStore and nothing more: MemoryStore without `part`. */
function coreOnlyStore(): ChatStore {
  const memory = new MemoryStore();
  return new Proxy(memory, {
    get(target, key) {
      if (key === 'part') return undefined;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('plugins: what createChatServer refuses', () => {
  it('two owners of one event, a kernel event, a REST prefix or a name: a sentence naming both, nothing attached', () => {
    const http = createServer();
    const twice = definePlugin({ name: 'echo-again', events: { 'test:echo': async () => ({ text: '', user: '', roomId: null }) } });
    expect(() => createChatServer(http, { plugins: [echo, twice] })).toThrow(
      'The event "test:echo" is handled by both "echo" and "echo-again": an event belongs to one plugin.',
    );
    // Built-in events are not a plugin's to type (PluginEvents), so a plain JavaScript plugin stands in here.
    const join = definePlugin({ name: 'joiner', events: { 'room:join': async () => ({}) } as never });
    expect(() => createChatServer(http, { plugins: [join] })).toThrow(
      'The event "room:join" is handled by both the chat server itself and "joiner"',
    );
    const send = definePlugin({ name: 'sender', events: { 'message:send': async () => ({}) } as never });
    expect(() => createChatServer(http, { plugins: [send] })).toThrow(
      'The event "message:send" is handled by both "messages" and "sender"',
    );
    const route = { method: 'GET', match: () => true, handle: async () => ({ status: 200, body: {} }) };
    const search = definePlugin({ name: 'finder', routes: [{ prefix: 'search', ...route }] });
    expect(() => createChatServer(http, { plugins: [search] })).toThrow(
      'The REST prefix "search" is claimed by both "search" and "finder"',
    );
    // The kernel's shared resources take routes of several plugins.
    const rooms = definePlugin({ name: 'room-extra', routes: [{ prefix: 'rooms', ...route }] });
    expect(() => createChatServer(http, { plugins: [echo, echo] })).toThrow('Two plugins are named "echo"');
    // A built-in's name says whose it is: commands always, webhooks with the webhooks option only.
    expect(() => createChatServer(http, { plugins: [definePlugin({ name: 'commands' })] })).toThrow(
      'The plugin name "commands" is the chat server\'s own (its built-in "commands"): give your plugin another name.',
    );
    const webhooks = [{ url: 'http://127.0.0.1:9/hook', events: ['message' as const], secret: 'a-secret-of-at-least-16' }];
    expect(() => createChatServer(http, { webhooks, plugins: [definePlugin({ name: 'webhooks' })] })).toThrow(
      'The plugin name "webhooks" is the chat server\'s own',
    );
    expect(http.listenerCount('request')).toBe(0);
    // Without the webhooks option, the name is free.
    const chat = createChatServer(http, { plugins: [rooms, definePlugin({ name: 'webhooks' })] });
    return chat.close();
  });

  it('a store without a part a plugin needs is refused, naming the part; a store without part() serves the built-ins', async () => {
    const needs = definePlugin<{ count(): number }>({
      name: 'counter',
      store: { name: 'CounterStore', memory: () => ({ count: () => 1 }) },
      personalData: 'none',
    });
    const http = createServer();
    expect(() => createChatServer(http, { store: coreOnlyStore(), plugins: [needs] })).toThrow(
      'The plugin "counter" needs the store part "CounterStore", which this store does not provide.',
    );
    const noPostgres = definePlugin<object>({
      name: 'memory-only',
      store: { name: 'MemoryOnly', memory: () => ({}) },
      personalData: 'none',
    });
    if (!skipWithoutPostgres()) {
      const store = new PostgresStore({ connectionString: 'postgres://127.0.0.1:1/none' });
      expect(() => createChatServer(http, { store, plugins: [noPostgres] })).toThrow('needs the store part "MemoryOnly"');
      await store.close();
    }
    // A part kept without saying what it keeps about people, or a part's name taken twice.
    const forgetful = definePlugin({ name: 'forgetful', store: { name: 'Notes', memory: () => ({}) } } as never);
    expect(() => createChatServer(http, { plugins: [forgetful] })).toThrow(
      'The plugin "forgetful" keeps a store part ("Notes") but declares no personalData',
    );
    const notesA = definePlugin<object>({ name: 'notes-a', store: { name: 'Notes', memory: () => ({}) }, personalData: 'none' });
    const notesB = definePlugin<object>({ name: 'notes-b', store: { name: 'Notes', memory: () => ({}) }, personalData: 'none' });
    expect(() => createChatServer(http, { plugins: [notesA, notesB] })).toThrow(
      'The store part "Notes" is named by both "notes-a" and "notes-b"',
    );
    const slash = definePlugin({
      name: 'slash',
      routes: [{ prefix: 'a/b', method: 'GET', match: () => true, handle: async () => ({ status: 200, body: {} }) }],
    });
    expect(() => createChatServer(http, { plugins: [slash] })).toThrow('The plugin "slash" has a REST route with the prefix "a/b"');
    expect(http.listenerCount('request')).toBe(0);

    const { url } = await startChat({ store: coreOnlyStore(), plugins: [echo] });
    const client = sdkClient(url);
    const room = await client.join('lobby');
    await room.send('hello from a core-only store');
    expect((await client.request('test:echo', { text: 'hi' })).text).toBe('hi');
  });
});

describe('plugins: what a handler is given', () => {
  it('the user and the payload; roomId only for a room the socket is in; a throw is INTERNAL without its details', async () => {
    const failing = definePlugin({
      name: 'failing',
      events: {
        'test:fail': () => {
          throw new Error('secret database detail');
        },
      },
    });
    const { url, chat } = await startChat({ plugins: [echo, failing] });
    const reported = vi.fn();
    chat.on('error', reported);
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    expect(await client.request('test:echo', { text: 'no room' })).toEqual({ text: 'no room', user: 'Ana', roomId: null });
    await client.join('lobby');
    const inRoom = { text: 'here', roomId: 'lobby' } as { text: string };
    expect(await client.request('test:echo', inRoom)).toEqual({ text: 'here', user: 'Ana', roomId: 'lobby' });
    const notIn = { text: 'there', roomId: 'elsewhere' } as { text: string };
    await expect(client.request('test:echo', notIn)).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    // A roomId that is no room id is refused, never taken for a request about no room.
    for (const roomId of [42, ['lobby'], '#user:x', '']) {
      const bad = { text: 'x', roomId } as unknown as { text: string };
      await expect(client.request('test:echo', bad)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('roomId') as string,
      });
    }
    const failed = await client.request('test:fail', {}).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'INTERNAL' });
    expect(String((failed as Error).message)).not.toContain('secret');
    await waitFor(() => expect(reported).toHaveBeenCalled());
    // Without an ack, the event is answered on `chat:error`, as every event is.
    const raw = await rawSocket(url);
    const error = new Promise((resolve) =>
      (raw as unknown as { once(e: string, l: (x: unknown) => void): void }).once('chat:error', resolve),
    );
    (raw as unknown as { emit(e: string, p: unknown): void }).emit('test:echo', { text: 'x' });
    expect(await error).toMatchObject({ event: 'test:echo', error: { code: 'VALIDATION_FAILED' } });
    expect(await request(raw, 'room:leave', { roomId: 'nowhere' })).toMatchObject({ ok: false });
  });

  it('a request about a room, made while the connection is down, waits for the re-join', async () => {
    const { url, chat } = await startChat({ plugins: [echo] });
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    await client.join('lobby');
    let answer: Promise<unknown> = Promise.resolve();
    await awayAndBack(chat, 'lobby', async () => {
      // Once the client knows the connection is gone (a request in flight at the cut is lost, as any is).
      await waitFor(() => expect(client.state).toBe('reconnecting'));
      answer = client.request('test:echo', { text: 'back', roomId: 'lobby' } as { text: string });
    });
    await expect(answer).resolves.toEqual({ text: 'back', user: 'Ana', roomId: 'lobby' });
  });

  it("a joinAnswer that throws is reported and left out; the join and the other plugins' answers go on", async () => {
    const broken = definePlugin({ name: 'broken', joinAnswer: () => Promise.reject(new Error('down')) });
    const fine = definePlugin({ name: 'fine', joinAnswer: ({ roomId }) => ({ roomId }) });
    const { url, chat } = await startChat({ plugins: [broken, fine] });
    const reported = vi.fn();
    chat.on('error', reported);
    const room = await sdkClient(url).join('lobby');
    expect(room.plugins).toEqual({ fine: { roomId: 'lobby' } });
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ code: 'INTERNAL' }), { event: 'plugin:broken' });
  });

  it('onPresence: the first tab in a room and the last one out, once each; what a listener throws is reported', async () => {
    const heard: string[] = [];
    const watcher = definePlugin({
      name: 'watcher',
      start: (tools) => void tools.onPresence(({ kind, roomId, userId }) => void heard.push(`${kind} ${roomId} ${userId}`)),
    });
    const throwing = definePlugin({
      name: 'throwing',
      start: (tools) => {
        tools.onPresence(() => {
          throw new Error('sync');
        });
        tools.onPresence(() => Promise.reject(new Error('async')));
      },
    });
    const authenticate = (handshake: { auth: Record<string, unknown> }) => ({
      id: String(handshake.auth['id']),
      name: String(handshake.auth['name']),
    });
    const { url, chat } = await startChat({ plugins: [throwing, watcher, echo], authenticate });
    const reported = vi.fn();
    chat.on('error', reported);
    const ana = { id: 'ana', name: 'Ana' };
    const [first, second] = [sdkClient(url, { auth: ana }), sdkClient(url, { auth: ana })];
    await first.join('lobby');
    await second.join('lobby');
    await waitFor(() => expect(reported).toHaveBeenCalledTimes(2));
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ code: 'INTERNAL' }), { event: 'plugin:throwing' });
    const forAna = () => heard.filter((line) => line.endsWith('lobby ana'));
    expect(forAna()).toEqual(['joined lobby ana']);
    // The first tab out: once the server let its socket go and answered the other tab after, still no one left.
    first.close();
    await waitFor(() => expect(chat.io.of('/').sockets.size).toBe(1));
    expect(await second.request('test:echo', { text: 'still here' })).toMatchObject({ text: 'still here' });
    expect(forAna()).toEqual(['joined lobby ana']);
    second.close();
    await waitFor(() => expect(forAna()).toEqual(['joined lobby ana', 'left lobby ana']));
    // A bot comes and goes as a person does.
    const helper = chat.bot({ id: 'helper', name: 'Helper' });
    await helper.join('lobby');
    await helper.leave('lobby');
    await waitFor(() =>
      expect(heard.filter((line) => line.endsWith('lobby helper'))).toEqual(['joined lobby helper', 'left lobby helper']),
    );
  });

  it("close() waits for what an onPresence listener started (a leave at the close is the store's last work)", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const slow = definePlugin({
      name: 'slow',
      start: (tools) =>
        void tools.onPresence(async ({ kind }) => {
          if (kind !== 'left') return;
          order.push('left');
          await gate;
          order.push('listener done');
        }),
      close: () => void order.push('plugin closed'),
    });
    const { url, chat } = await startChat({ plugins: [slow] });
    await sdkClient(url).join('lobby');
    const closing = chat.close().then(() => order.push('server closed'));
    await waitFor(() => expect(order).toEqual(['left']));
    // Many turns of the event loop later, the close still waits for the listener.
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['left']);
    release();
    await closing;
    expect(order).toEqual(['left', 'listener done', 'plugin closed', 'server closed']);
  });

  it('a start() that fails rejects chat.ready() and is reported on chat.on(error)', async () => {
    const failing = definePlugin({
      name: 'failing-start',
      start: () => {
        throw new Error('no license key');
      },
    });
    const chat = createChatServer(createServer(), { plugins: [failing] });
    const reported = vi.fn();
    chat.on('error', reported);
    await expect(chat.ready()).rejects.toThrow('no license key');
    expect(reported).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'INTERNAL', message: 'The plugin "failing-start" failed to start: no license key' }),
      { event: 'plugin:failing-start' },
    );
    await chat.close();
  });

  it('a start() that throws what is no Error is reported in words too, and rejects ready() with what it threw', async () => {
    const bare = Object.create(null) as object;
    for (const [thrown, words] of [
      [{ code: 'E_LICENSE' }, 'The plugin "odd-start" failed to start: {"code":"E_LICENSE"}'],
      ['no license', 'The plugin "odd-start" failed to start: no license'],
      [bare, 'The plugin "odd-start" failed to start: {}'],
      [new Error(''), 'The plugin "odd-start" failed to start.'],
    ] as const) {
      const odd = definePlugin({
        name: 'odd-start',
        // A library may throw what is no Error: the server must still say so.
        start: () => Promise.reject(thrown as Error),
      });
      const chat = createChatServer(createServer(), { plugins: [odd] });
      const reported = vi.fn();
      chat.on('error', reported);
      await expect(chat.ready()).rejects.toBe(thrown);
      expect(reported).toHaveBeenCalledWith(expect.objectContaining({ code: 'INTERNAL', message: words }), { event: 'plugin:odd-start' });
      await chat.close();
    }
  });

  it('start() once the server is ready, close() when it closes', async () => {
    const calls: string[] = [];
    const life = definePlugin({ name: 'life', start: () => void calls.push('start'), close: () => void calls.push('close') });
    const { chat } = await startChat({ plugins: [life] });
    await chat.ready();
    expect(calls).toEqual(['start']);
    await chat.close();
    expect(calls).toEqual(['start', 'close']);
  });
});

describe.skipIf(skipWithoutPostgres())('plugins: a PostgreSQL store part', () => {
  const schema = useTestSchema();

  it('applies its migrations once when two processes start together, and refuses a bad version', async () => {
    const part = {
      name: 'Notes',
      migrations: [{ version: 1, sql: 'CREATE TABLE plugin_notes (id serial PRIMARY KEY, text text NOT NULL)' }],
      postgres: (sql: import('../index.js').PluginSql) => ({
        add: (text: string) => sql.query('INSERT INTO plugin_notes (text) VALUES ($1)', [text]),
        count: async () => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM plugin_notes')).rows[0]?.n),
      }),
    };
    const [a, b] = [new PostgresStore({ pool: schema.pool() }), new PostgresStore({ pool: schema.pool() })];
    const [notesA, notesB] = [a.part(part), b.part(part)];
    await Promise.all([notesA?.add('one'), notesB?.add('two')]);
    expect(await notesA?.count()).toBe(2);
    const applied = await schema.pool().query("SELECT version FROM chat_plugin_migrations WHERE part = 'Notes'");
    expect(applied.rows).toEqual([{ version: 1 }]);
    expect(() => a.part({ ...part, name: 'Bad', migrations: [{ version: 0, sql: 'SELECT 1' }] })).toThrow(
      'The store part "Bad" has a migration with version 0: versions are distinct integers from 1.',
    );
    await a.close();
    await b.close();
  });
});
