import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import { PostgresStore } from './postgres-store.js';
import { STORAGE_BUSY, STORAGE_UNREACHABLE } from '../../core/storage-unreachable.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { sdkClient, startChat, track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Issue 29's leftover: pg-pool's `connectionTimeoutMillis` (the store's `connectTimeoutMs`) also
// bounds the wait for a free connection of a full pool. A database that answers, with every
// connection of the pool in use past that deadline, is a busy chat (a pool too small for the load,
// or an app that holds its connections), not a storage out of reach: the person is told so with
// RATE_LIMITED and retryAfter (the SDK waits and asks again), and the server reports it for the
// operator, who sizes the pool (docs/storage.md, "Sizing the pool").

const BUSY = { code: 'RATE_LIMITED', message: STORAGE_BUSY, retryAfter: 1000, lang: 'en' };

describe.skipIf(skipWithoutPostgres())('PostgresStore when every connection of its pool is in use', () => {
  const schema = useTestSchema();

  it('a request that waited past connectTimeoutMs for a free connection is told the chat is busy, is reported, and is answered once one is free', async () => {
    // The schema made first by a store with the default deadline: on a loaded machine, opening a
    // connection can take longer than a short one, and the migrations open several.
    const maker = new PostgresStore({ connectionString: schema.connectionString });
    await maker.init();
    await maker.close();
    // A deadline short enough to run out while a connection is held, long enough to open one under load.
    const store = new PostgresStore({ connectionString: schema.connectionString, max: 1, connectTimeoutMs: 1000 });
    track(() => store.close());
    await store.init();
    const http = createServer((req, res) => handler(req, res));
    const { url, chat } = await startChat(
      { store, authenticate: ({ auth }) => ({ id: String(auth['name']), name: String(auth['name']) }) },
      http,
    );
    const handler = chat.httpHandler();
    const reported: Array<{ error: ChatError; event: string | undefined; socketId: string | undefined }> = [];
    chat.on('error', (error, where) => reported.push({ error, event: where.event, socketId: where.socketId }));
    await chat.ready();
    await chat.createRoom({ id: 'busy' });
    await chat.sendMessage('busy', { user: { id: 'ana', name: 'ana' }, text: 'hello' });

    // The app holds the pool's one connection, in a transaction; PostgreSQL answers it meanwhile.
    const held = await store.pool.connect();
    let released = false;
    const release = () => {
      if (!released) held.release();
      released = true;
    };
    track(async () => release());
    await held.query('BEGIN');
    expect((await held.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);

    // REST: 429 with Retry-After, the sentence for a busy chat, not the one for an unreachable storage.
    const headers = { 'x-chat-auth': encodeURIComponent(JSON.stringify({ name: 'ana' })) };
    const rest = await fetch(`${url}/rooms/busy/messages`, { headers });
    expect([rest.status, rest.headers.get('retry-after'), await rest.json()]).toEqual([429, '1', { error: BUSY }]);
    // The server reports it, with pg-pool's words as cause, for the operator to size the pool.
    const restReport = reported.find((r) => r.event === 'GET /rooms/busy/messages');
    expect(restReport?.error).toMatchObject({ code: 'RATE_LIMITED', message: STORAGE_BUSY });
    expect(restReport?.error.cause).toMatchObject({ message: 'timeout exceeded when trying to connect' });
    expect(reported.filter((r) => r.error.message === STORAGE_UNREACHABLE)).toEqual([]);

    // A client joining meanwhile is told to wait (its join is reported busy), asks again, and gets in
    // once the app gives the connection back.
    const joining = sdkClient(url, { auth: { name: 'luis' } }).join('busy');
    await waitFor(() => expect(reported.filter((r) => r.socketId !== undefined && r.error.message === STORAGE_BUSY)).not.toEqual([]));
    await held.query('COMMIT');
    release();
    const room = await joining;
    expect(room.messages.map((m) => m.text)).toEqual(['hello']);
    // And so is REST.
    const after = await fetch(`${url}/rooms/busy/messages`, { headers });
    expect(after.status).toBe(200);
  });
});
