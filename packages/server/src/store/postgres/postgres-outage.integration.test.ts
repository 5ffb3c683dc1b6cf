import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatError, Message } from '@chat/protocol';
import type { ChatRoom } from '@chat/client';
import { PostgresStore } from './postgres-store.js';
import { STORAGE_UNREACHABLE } from '../../core/storage-unreachable.js';
import { privatePostgresMissing, startPrivatePostgres, type PrivatePostgres } from '../../../../../test-support/private-postgres.js';
import { sdkClient, startChat, track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Issue 29: PostgreSQL itself restarted, or out of connections server-wide, while SDK clients
// send a steady stream through a real chat server. Run on a PostgreSQL of this file's own (the
// shared one must never restart under the other files): no false ack, nothing doubled or lost,
// a clear error for what could not be stored, and the same chat server works again after.

const missing = privatePostgresMissing();
let server: PrivatePostgres | undefined;

beforeAll(async () => {
  // 10 slots, 3 of them kept for superusers: 7 for role `chat` (the store, and the holders below).
  if (!missing) server = await startPrivatePostgres({ max_connections: '10' });
}, 60_000);
afterAll(async () => {
  await server?.remove();
});

/** One SDK client sending a stream into its room, one message at a time. */
interface Sender {
  room: ChatRoom;
  acked: Message[];
  failures: ChatError[];
  /** Set to end the stream after the current send. */
  stopped: boolean;
}

/** A chat server on a PostgresStore of the private server, and `count` senders streaming into rooms `a`/`b`. */
async function streaming(pgUrl: string, prefix: string, count: number) {
  const store = new PostgresStore({ connectionString: pgUrl, max: 4 });
  track(() => store.close());
  const { url, chat } = await startChat({ store });
  const reported: ChatError[] = [];
  chat.on('error', (error) => reported.push(error));
  // What would end a server process (vitest reports these too; here they fail the test itself).
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash).on('unhandledRejection', onCrash);
  track(() => void process.off('uncaughtException', onCrash).off('unhandledRejection', onCrash));
  await chat.ready();
  const rooms = [`${prefix}-a`, `${prefix}-b`];
  for (const id of rooms) await chat.createRoom({ id });
  let resume: () => void = () => undefined;
  let resumed = Promise.resolve();
  const discontinuities: unknown[] = [];
  const senders: Sender[] = [];
  for (let i = 0; i < count; i++) {
    const room = await sdkClient(url).join(rooms[i % rooms.length]!);
    room.on('discontinuity', (event) => discontinuities.push(event));
    senders.push({ room, acked: [], failures: [], stopped: false });
  }
  const loops = senders.map(async (sender, i) => {
    for (let n = 0; !sender.stopped; n++) {
      try {
        sender.acked.push(await sender.room.send(`${i}:${n}`));
      } catch (error) {
        sender.failures.push(error as ChatError);
        // Not a busy loop while PostgreSQL is away: the next send waits for the test to say so.
        await resumed;
      }
    }
  });
  return {
    rooms,
    crashes,
    senders,
    reported,
    discontinuities,
    /** Failed sends wait from now on until {@link release}. */
    hold: () => {
      resumed = new Promise((resolve) => (resume = resolve));
    },
    release: () => resume(),
    /** Stops the streams; resolves when every loop has ended. */
    stop: async () => {
      for (const sender of senders) sender.stopped = true;
      resume();
      await Promise.all(loops);
    },
  };
}

// What a sender is told when there is no database to store in (the store's reads fail so too):
// retryable, in words a person understands, and no internals (the cause goes to the server's `error` event).
const UNREACHABLE = { code: 'INTERNAL', message: STORAGE_UNREACHABLE };

type Streams = Awaited<ReturnType<typeof streaming>>;

/** Each sender got `more` acks beyond `from` (its count of acks at some earlier point). */
async function eachAcked(streams: Streams, from: number[], more: number): Promise<void> {
  await waitFor(() => {
    streams.senders.forEach((s, i) => expect(s.acked.length).toBeGreaterThanOrEqual(from[i]! + more));
  });
}

/**
 * After the streams stopped: failed messages are sent again (same clientId) and stored once;
 * the database then holds exactly the acked messages, once each, seqs 1..n per room, and every
 * client's view matches it with no discontinuity.
 */
async function checkStored(streams: Streams, pgUrl: string): Promise<void> {
  for (const { room, acked } of streams.senders) {
    for (const entry of room.outbox) {
      expect(entry.status).toBe('failed');
      acked.push(await room.retry(entry.clientId));
    }
    expect(room.outbox).toEqual([]);
  }
  for (const { failures } of streams.senders) {
    for (const failure of failures) expect(failure).toMatchObject({ ...UNREACHABLE, retryable: true });
  }
  const db = new pg.Client({ connectionString: pgUrl });
  await db.connect();
  try {
    for (const roomId of streams.rooms) {
      const { rows } = await db.query<{ id: string; seq: number; client_id: string }>(
        'SELECT id, seq::int AS seq, client_id FROM chat_messages WHERE room_id = $1 ORDER BY seq',
        [roomId],
      );
      const acked = streams.senders.filter((s) => s.room.id === roomId).flatMap((s) => s.acked);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(new Set(rows.map((r) => r.client_id)).size).toBe(rows.length);
      expect(new Set(acked.map((m) => m.id)).size).toBe(acked.length);
      expect(rows.map((r) => r.id).sort()).toEqual(acked.map((m) => m.id).sort());
      for (const sender of streams.senders.filter((s) => s.room.id === roomId)) {
        await waitFor(() => expect(sender.room.messages.map((m) => m.id)).toEqual(rows.map((r) => r.id)));
      }
    }
  } finally {
    await db.end();
  }
  expect(streams.discontinuities).toEqual([]);
  expect(streams.crashes).toEqual([]);
}

describe('PostgresStore when PostgreSQL restarts or runs out of connections under load', () => {
  it.for(['immediate', 'fast'] as const)(
    'PostgreSQL stopped (%s) and started again: acked messages stored once, clear errors meanwhile, the same server recovers',
    async (mode, { skip }) => {
      if (missing || !server) return skip(missing ?? 'no private PostgreSQL');
      const pgServer = server;
      const streams = await streaming(pgServer.url, mode, 3);
      await eachAcked(streams, [0, 0, 0], 5);

      streams.hold();
      // immediate: a crash (no goodbye to the connections, recovery on start); fast: every session told and ended.
      await pgServer.stop(mode);
      // Every sender's next send fails (none hangs, none is acked).
      await waitFor(() => streams.senders.forEach((s) => expect(s.failures.length).toBeGreaterThan(0)));
      const before = streams.senders.map((s) => s.acked.length);
      await pgServer.start();
      streams.release();
      await eachAcked(streams, before, 5);
      await streams.stop();
      await checkStored(streams, pgServer.url);
    },
  );

  it('max_connections reached server-wide: clear errors, nothing doubled, the same server recovers when slots free', async ({ skip }) => {
    if (missing || !server) return skip(missing ?? 'no private PostgreSQL');
    const pgServer = server;
    const streams = await streaming(pgServer.url, 'full', 3);
    await eachAcked(streams, [0, 0, 0], 5);

    // Other clients take every slot PostgreSQL has for non-superusers, the store's too.
    const holders = await takeEverySlot(pgServer);
    const failed = streams.senders.map((s) => s.failures.length);
    streams.hold();
    // From now on every send needs a connection PostgreSQL refuses: each sender is told, none hangs.
    await waitFor(() => streams.senders.forEach((s, i) => expect(s.failures.length).toBeGreaterThan(failed[i]!)));
    expect(streams.reported.some((e) => (e.cause as { code?: string } | undefined)?.code === TOO_MANY_CONNECTIONS)).toBe(true);

    const before = streams.senders.map((s) => s.acked.length);
    await Promise.all(holders.map((h) => h.end()));
    streams.release();
    await eachAcked(streams, before, 5);
    await streams.stop();
    await checkStored(streams, pgServer.url);
  });
});

const TOO_MANY_CONNECTIONS = '53300';

/**
 * Connections of role `chat` in every slot PostgreSQL has for non-superusers: every other client
 * backend (the store's, even one still starting) is terminated, its exit waited for, and its slot
 * taken. The senders keep sending meanwhile, so this goes round until two rounds in a row find no
 * other one.
 */
async function takeEverySlot(pgServer: PrivatePostgres): Promise<pg.Client[]> {
  const holders: pg.Client[] = [];
  track(() => Promise.all(holders.map((h) => h.end().catch(() => undefined))).then(() => undefined));
  const pids: number[] = [];
  const admin = new pg.Client({ connectionString: pgServer.adminUrl });
  await admin.connect();
  try {
    for (let clean = 0; clean < 2;) {
      for (;;) {
        const holder = new pg.Client({ connectionString: pgServer.url });
        holder.on('error', () => undefined);
        const refused = await holder.connect().then(
          () => undefined,
          (error: { code?: string }) => error,
        );
        if (refused) {
          expect(refused.code).toBe(TOO_MANY_CONNECTIONS);
          break;
        }
        holders.push(holder);
        pids.push((await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
      }
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND NOT (pid = ANY($1::int[]))`,
        [pids],
      );
      clean = rows.length === 0 ? clean + 1 : 0;
      // Waited for until each has exited: a backend on its way out is no longer listed but still
      // holds its slot, which the store's pool could take once the rounds had ended.
      // (PostgreSQL 14 or later waits; a backend already gone answers false, and one still there
      // after 5 s is found again by the next round.)
      await admin.query('SELECT pg_terminate_backend(pid, 5000) FROM unnest($1::int[]) AS pid', [rows.map((r) => r.pid)]);
    }
    return holders;
  } finally {
    await admin.end();
  }
}
