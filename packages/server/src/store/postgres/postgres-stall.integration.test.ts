import { describe, expect, it } from 'vitest';
import type { AckResponse } from '@chat/protocol';
import { PostgresStore } from './postgres-store.js';
import { STORAGE_UNREACHABLE_MESSAGE } from '../../core/storage-unreachable.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { okData, rawSocket, request, startChat, track } from '../../../../../test-support/servers.js';
import { startStallingProxy } from '../../../../../test-support/stalling-proxy.js';

// Issue 29, "PostgreSQL slow": a database that stops answering without closing its connections
// (frozen, or behind a network that drops packets). Without deadlines every request that reached
// it waited for ever, holding its connection, and the chat stayed down after the database was back.

const ROOMS = ['s0', 's1', 's2', 's3', 's4', 's5'];

describe.skipIf(skipWithoutPostgres())('PostgresStore when PostgreSQL goes silent', () => {
  const schema = useTestSchema();

  it('answers each send with a clear error within its deadline, stores nothing twice, and works again once PostgreSQL answers', async () => {
    const target = new URL(schema.connectionString);
    const proxy = await startStallingProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const store = new PostgresStore({ connectionString: proxy.url(schema.connectionString), connectTimeoutMs: 300, queryTimeoutMs: 500 });
    track(() => store.close());
    await store.init();
    const { url, chat } = await startChat({ store, requestTimeoutMs: 4_000 });
    for (const id of ROOMS) await chat.createRoom({ id });
    const socket = await rawSocket(url, { name: 'Ana' });
    for (const roomId of ROOMS) okData(await request(socket, 'room:join', { roomId }));
    okData(await request(socket, 'message:send', { roomId: 's0', clientId: 'before', text: 'before' }));

    proxy.stall();
    // One batch after another, each on a connection of its own, until every append connection has gone silent.
    const during: Promise<AckResponse<unknown>>[] = [];
    for (const roomId of ROOMS) {
      during.push(request(socket, 'message:send', { roomId, clientId: `during-${roomId}`, text: 'during' }));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    for (const answer of await Promise.all(during)) {
      expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: STORAGE_UNREACHABLE_MESSAGE } });
    }

    proxy.heal();
    // The same clientIds again: each stored once (whether or not the silent batch had been), then a new message.
    for (const roomId of ROOMS) {
      const { message } = okData(await request(socket, 'message:send', { roomId, clientId: `during-${roomId}`, text: 'during' }));
      expect(message).toMatchObject({ clientId: `during-${roomId}`, text: 'during' });
    }
    okData(await request(socket, 'message:send', { roomId: 's0', clientId: 'after', text: 'after' }));
    const history = await store.listMessages('s0', { limit: 10 });
    expect(history.messages.map((m) => m.clientId)).toEqual(['before', 'during-s0', 'after']);
    for (const roomId of ROOMS.slice(1)) {
      expect((await store.listMessages(roomId, { limit: 10 })).messages.map((m) => m.clientId)).toEqual([`during-${roomId}`]);
    }
  }, 30_000);

  it('refuses deadlines that are not whole milliseconds, in a sentence', () => {
    expect(() => new PostgresStore({ connectionString: schema.connectionString, queryTimeoutMs: -1 })).toThrow(
      "PostgresStore's queryTimeoutMs must be a whole number of milliseconds, 0 or more (0: no deadline); it was -1.",
    );
    expect(() => new PostgresStore({ connectionString: schema.connectionString, connectTimeoutMs: 1.5 })).toThrow(/connectTimeoutMs/u);
  });
});
