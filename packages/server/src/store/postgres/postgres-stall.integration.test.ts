import { createServer } from 'node:http';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ChatError } from '@chat/protocol';
import { PostgresStore } from './postgres-store.js';
import type { ChatServerOptions } from '../../index.js';
import { chatErrorOf, STORAGE_UNREACHABLE } from '../../core/storage-unreachable.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { sdkClient, startChat, track } from '../../../../../test-support/servers.js';
import { startStallingProxy } from '../../../../../test-support/stalling-proxy.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Issue 29: PostgreSQL stops answering without closing the connection (a network cut, a frozen
// server). A proxy between the store and PostgreSQL stops forwarding bytes and keeps the sockets
// open. Without deadlines a send waited for ever (the client saw a hang: the server's TIMEOUT
// makes the SDK send again, and again); with them, the sender is told in words, nothing is
// acked that was not stored, and a resend with the same clientId after the cut stores it once.

const UNREACHABLE = { code: 'INTERNAL', message: STORAGE_UNREACHABLE, retryable: true };
// Short deadlines, so that the test does not wait long: a stalled query fails after this.
const DEADLINE_MS = 300;
// migration-runner.ts's MIGRATION_LOCK: what a process migrating the schema holds.
const MIGRATION_LOCK = 724_431_092;

describe.skipIf(skipWithoutPostgres())('PostgresStore when PostgreSQL stalls', () => {
  const schema = useTestSchema();

  // Right after the resume, PostgreSQL still works off what the stall held (the cut batch may have
  // reached it, with its locks): on a busy machine a retry can meet the short deadline once more.
  // It is the same clientId each time, so a retry that was stored after all is found, not doubled.
  async function retryPast<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (tries >= 3 || (error as { message?: unknown }).message !== STORAGE_UNREACHABLE) throw error;
      }
    }
  }

  async function stallingStore() {
    const proxy = await startStallingProxy(Number(new URL(schema.connectionString).port || 5432));
    const store = new PostgresStore({
      connectionString: proxy.through(schema.connectionString),
      connectTimeoutMs: DEADLINE_MS,
      queryTimeoutMs: DEADLINE_MS,
    });
    track(() => store.close());
    await store.init();
    return { proxy, store };
  }

  async function stallingChat(options: Pick<ChatServerOptions, 'retention'> = {}) {
    const { proxy, store } = await stallingStore();
    const http = createServer((req, res) => handler(req, res));
    const { url, chat } = await startChat(
      { store, authenticate: ({ auth }) => ({ id: String(auth['name']), name: String(auth['name']) }), ...options },
      http,
    );
    const handler = chat.httpHandler();
    // Closed after the test (newest first): a test that failed with the proxy stalled lets it run
    // first, or closing the server would wait for the requests the stall holds.
    track(() => proxy.resume());
    const reported: ChatError[] = [];
    chat.on('error', (error) => reported.push(error));
    await chat.ready();
    return { proxy, url, chat, reported };
  }

  it('a send while PostgreSQL stalls fails with a clear error (no hang), and the same clientId sent after is stored once', async () => {
    const { proxy, url, chat, reported } = await stallingChat();
    await chat.createRoom({ id: 'stall' });
    const ana = await sdkClient(url, { auth: { name: 'ana' } }).join('stall');
    const luis = await sdkClient(url, { auth: { name: 'luis' } }).join('stall');
    // Connections of both pools are open and idle before the cut: they stall too.
    const [before] = await Promise.all([ana.send('before 1'), luis.send('before 2')]);

    proxy.stall();
    // Both in flight at once (one batch or two): each sender is told, neither is acked.
    const sends = await Promise.allSettled([ana.send('during ana'), luis.send('during luis')]);
    for (const send of sends) expect(send).toMatchObject({ status: 'rejected', reason: UNREACHABLE });
    // A change (one transaction) is told so too, and nothing of it is kept.
    await expect(ana.edit(before.id, 'edited in the cut')).rejects.toMatchObject(UNREACHABLE);
    // The original error is kept for the server's logs.
    const logged = reported.find((error) => error.message === STORAGE_UNREACHABLE);
    expect((logged?.cause as Error | undefined)?.message).toMatch(/Query read timeout|timeout|Connection terminated/u);
    // REST is answered so too.
    const rest = await fetch(`${url}/rooms/stall/messages`, {
      headers: { 'x-chat-auth': encodeURIComponent(JSON.stringify({ name: 'ana' })) },
    });
    expect([rest.status, await rest.json()]).toEqual([500, { error: { code: 'INTERNAL', message: STORAGE_UNREACHABLE, lang: 'en' } }]);

    proxy.resume();
    for (const room of [ana, luis]) {
      const [failed, ...more] = room.outbox;
      expect(more).toEqual([]);
      expect(failed?.status).toBe('failed');
      const message = await retryPast(() => room.retry(failed!.clientId));
      expect(message.clientId).toBe(failed!.clientId);
    }

    // Stored once each (the cut batch may have reached PostgreSQL after all: the resend found it).
    const db = new pg.Client({ connectionString: schema.connectionString });
    await db.connect();
    track(() => db.end());
    const { rows } = await db.query<{ text: string; seq: number }>(
      `SELECT text, seq::int AS seq FROM chat_messages WHERE room_id = 'stall' ORDER BY seq`,
    );
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r.text).sort()).toEqual(['before 1', 'before 2', 'during ana', 'during luis']);
    // History shows each once, to the senders and to someone who joins now.
    const texts = (messages: ReadonlyArray<{ text?: string }>) => messages.map((m) => m.text).sort();
    const history = await sdkClient(url, { auth: { name: 'eva' } }).join('stall');
    expect(texts(history.messages)).toEqual(texts(rows));
    // Those who were in the room hear of each (the cut batch stored late is announced on the resend).
    for (const room of [ana, luis]) await waitFor(() => expect(texts(room.messages)).toEqual(texts(rows)));
    // The edit the cut refused works now.
    expect((await ana.edit(before.id, 'edited after')).text).toBe('edited after');
  });

  it("the lock of a periodic pass (exclusive) has the store's deadlines, and its connection is closed on failure, stalled or not", async () => {
    const { proxy, store } = await stallingStore();
    // A connection of the pool, open and idle: the batch below takes it.
    await store.pool.query('SELECT 1');
    // PostgreSQL stalls while the pass holds the lock: its batch fails at the query deadline, and
    // the lock's connection is closed without waiting for PostgreSQL's goodbye (which never comes).
    const inTask = store.exclusive('stalled', async () => {
      proxy.stall();
      await store.pool.query('SELECT 1');
    });
    await expect(inTask).rejects.toThrow('Query read timeout');
    expect(chatErrorOf(await inTask.catch((error: unknown) => error))).toMatchObject(UNREACHABLE);
    // A pass started during the stall: its connection fails at the connect deadline, said in words.
    let ran = false;
    const started = store.exclusive('stalled', async () => {
      ran = true;
    });
    await expect(started).rejects.toMatchObject(UNREACHABLE);
    expect(((await started.catch((error: Error) => error)) as Error).cause).toMatchObject({
      message: expect.stringMatching(/timeout/u) as unknown,
    });
    expect(ran).toBe(false);

    proxy.resume();
    // The stalled pass's connection was closed, lock and all: a pass gets the lock and runs (once
    // PostgreSQL has seen that close, which the proxy passes on as it resumes).
    await waitFor(async () => expect(await store.exclusive('stalled', async () => void (ran = true))).toBe(true));
    expect(ran).toBe(true);
  });

  it('a retention pass started while PostgreSQL stalls is reported in words, and the first pass after the stall does its work', async () => {
    const { proxy, reported } = await stallingChat({ retention: { days: 2, intervalMs: 20, batchSize: 10 } });
    const failed = () => reported.filter((error) => error.message === STORAGE_UNREACHABLE);
    proxy.stall();
    // The second failed pass started after the first had failed, in the stall: neither hung.
    await waitFor(() => expect(failed().length).toBeGreaterThanOrEqual(2));
    expect(reported.filter((error) => error.message !== STORAGE_UNREACHABLE)).toEqual([]);
    // Meanwhile, straight to PostgreSQL: a room with messages past retention.
    const db = new pg.Client({ connectionString: schema.connectionString });
    await db.connect();
    track(() => db.end());
    const store = new PostgresStore({ pool: schema.pool() });
    await store.createRoom({ id: 'old' });
    for (const text of ['one', 'two'])
      await store.appendMessage({ roomId: 'old', clientId: text, user: { id: 'ana', name: 'Ana' }, text, attachments: [] });
    await db.query(`UPDATE chat_messages SET created_at = now() - interval '3 days' WHERE room_id = 'old'`);

    proxy.resume();
    await waitFor(async () => {
      const { rows } = await db.query(`SELECT text FROM chat_messages WHERE room_id = 'old'`);
      expect(rows).toEqual([]);
    });
  });

  it('refuses a deadline that is not a whole number of milliseconds, in a sentence', () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity]) {
      expect(() => new PostgresStore({ connectionString: schema.connectionString, queryTimeoutMs: bad })).toThrow(
        'PostgresStore: queryTimeoutMs must be a whole number of milliseconds, 0 or more.',
      );
      expect(() => new PostgresStore({ connectionString: schema.connectionString, connectTimeoutMs: bad })).toThrow(
        'PostgresStore: connectTimeoutMs must be a whole number of milliseconds, 0 or more.',
      );
    }
  });

  it('migrations have no query deadline: init() waits out another process migrating, however long', async () => {
    const url = new URL(schema.connectionString);
    url.searchParams.set('application_name', `${schema.name}_init`);
    const store = new PostgresStore({ connectionString: url.href, queryTimeoutMs: DEADLINE_MS });
    track(() => store.close());
    // Another process migrating this schema: it holds the migration lock (migration-runner.ts).
    const other = new pg.Client({ connectionString: schema.connectionString });
    await other.connect();
    track(() => other.end());
    await other.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK}, hashtext(current_schema()))`);
    const init = store.init();
    let settled = false;
    void init.finally(() => (settled = true)).catch(() => undefined);
    // init() waits for that lock, and goes on waiting past the query deadline.
    await waitFor(async () => {
      const { rows } = await other.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = $1`,
        [`${schema.name}_init`],
      );
      expect(rows[0]?.n).toBe(1);
    });
    await other.query(`SELECT pg_sleep(${(2 * DEADLINE_MS) / 1000})`);
    expect(settled).toBe(false);
    await other.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK}, hashtext(current_schema()))`);
    await init;
    // Its other queries do have the deadline: one that runs past it fails.
    await expect(store.pool.query(`SELECT pg_sleep(${(4 * DEADLINE_MS) / 1000})`)).rejects.toThrow('Query read timeout');
  });
});
