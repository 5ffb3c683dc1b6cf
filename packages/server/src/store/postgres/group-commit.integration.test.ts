import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AppendResult, MessageDraft } from '../../core/chat-store.js';
import pg from 'pg';
import { GroupCommit } from './group-commit.js';
import { PostgresStore } from './postgres-store.js';
import type { PendingListMerger } from './search-merge.js';
import { freshRoomId } from '../../testing/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Group commit (issue 29): the appends of one turn go to PostgreSQL as one statement; each sender
// is answered with its own message or its own error, and seqs stay gapless and in order per room,
// on one store and on two stores (two pools: two processes) sharing the database.

const user = { id: 'u', name: 'U' };
const draft = (roomId: string, clientId: string, extra: Partial<MessageDraft> = {}): MessageDraft => ({
  roomId,
  clientId,
  user,
  text: clientId,
  attachments: [],
  ...extra,
});
const seqs = (results: AppendResult[]) => results.map((r) => r.message.seq);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.skipIf(skipWithoutPostgres())('PostgresStore group commit', () => {
  const schema = useTestSchema();
  /** A store on a pool of its own, and how many statements it has sent since `counted()` was last asked. */
  async function open() {
    const pool = schema.pool();
    const query = vi.spyOn(pool, 'query');
    const store = new PostgresStore({ pool });
    await store.init();
    // No merges of the search index's list on this pool meanwhile: they would be counted.
    await (store.searchMerge as PendingListMerger).close();
    let seen = query.mock.calls.length;
    const counted = () => {
      const now = query.mock.calls.length;
      const n = now - seen;
      seen = now;
      return n;
    };
    return { store, counted };
  }
  async function rooms(store: PostgresStore, n: number) {
    const ids = Array.from({ length: n }, () => freshRoomId('gc'));
    for (const id of ids) await store.createRoom({ id });
    return ids;
  }

  it('stores the appends of one turn across many rooms in one statement, each room gapless in the order asked', async () => {
    const { store, counted } = await open();
    const ids = await rooms(store, 50);
    counted();
    // 200 appends in one turn: 4 per room, interleaved across rooms.
    const asked = Array.from({ length: 200 }, (_, i) => ({ roomId: ids[i % 50]!, clientId: `c${i}` }));
    const results = await Promise.all(asked.map((a) => store.appendMessage(draft(a.roomId, a.clientId))));
    expect(counted()).toBe(1);
    for (const roomId of ids) {
      const mine = results.filter((r) => r.message.roomId === roomId);
      // The k-th append asked for a room got seq k: the answers are each sender's own, in order.
      expect(seqs(mine)).toEqual([1, 2, 3, 4]);
      expect(mine.map((r) => r.message.clientId)).toEqual(asked.filter((a) => a.roomId === roomId).map((a) => a.clientId));
      expect(mine.every((r) => !r.duplicate)).toBe(true);
      const page = await store.listMessages(roomId, { limit: 10 });
      expect(page.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(page.messages.map((m) => m.id)).toEqual(mine.map((r) => r.message.id));
    }
  });

  it('keeps appends of a room in order across batches while an earlier batch of that room is in flight', async () => {
    const { store } = await open();
    const [roomId] = await rooms(store, 1);
    const results: AppendResult[] = [];
    // Five turns of appends, each turn started before the previous one is answered.
    const turns: Promise<AppendResult[]>[] = [];
    for (let t = 0; t < 5; t++) {
      turns.push(Promise.all(Array.from({ length: 10 }, (_, i) => store.appendMessage(draft(roomId!, `t${t}-${i}`)))));
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const turn of await Promise.all(turns)) results.push(...turn);
    expect(seqs(results)).toEqual(range(50));
  });

  it('stores a clientId once within a batch and across batches, answering the later ones as duplicates of it', async () => {
    const { store, counted } = await open();
    const [roomId, other] = await rooms(store, 2);
    counted();
    const [a, b, c, d] = await Promise.all([
      store.appendMessage(draft(roomId!, 'same', { text: 'first' })),
      store.appendMessage(draft(roomId!, 'next')),
      store.appendMessage(draft(roomId!, 'same', { text: 'second' })),
      store.appendMessage(draft(other!, 'same', { text: 'another room' })),
    ]);
    expect(counted()).toBe(1);
    expect(a.duplicate).toBe(false);
    expect(c).toEqual({ message: a.message, duplicate: true });
    expect(a.message.text).toBe('first');
    expect(seqs([a, b])).toEqual([1, 2]);
    // The same clientId in another room is another message.
    expect(d).toMatchObject({ duplicate: false, message: { roomId: other, seq: 1, text: 'another room' } });
    // A later batch: the stored copy is returned, nothing is stored again, no seq is used.
    const [again, after] = await Promise.all([
      store.appendMessage(draft(roomId!, 'same', { text: 'third' })),
      store.appendMessage(draft(roomId!, 'after')),
    ]);
    expect(again).toEqual({ message: a.message, duplicate: true });
    expect(after.message.seq).toBe(3);
    const { rows } = await store.pool.query('SELECT count(*)::int AS n FROM chat_messages WHERE room_id = $1', [roomId]);
    expect(rows[0]).toEqual({ n: 3 });
  });

  it('fails only the sender of a row PostgreSQL refuses; its neighbours in the batch are stored, gapless', async () => {
    const { store } = await open();
    const [roomId, other] = await rooms(store, 2);
    // Too large for the (room_id, client_id) index (random, so it does not compress): the batch
    // statement fails, and each of its appends is tried alone.
    const huge = randomBytes(6000).toString('hex');
    const settled = await Promise.allSettled([
      store.appendMessage(draft(roomId!, 'before')),
      store.appendMessage(draft(roomId!, huge)),
      store.appendMessage(draft(other!, 'neighbour')),
      store.appendMessage(draft(roomId!, 'after')),
      store.appendMessage(draft(freshRoomId('missing'), 'nowhere')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    const [before, bad, neighbour, after, nowhere] = settled;
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((nowhere as PromiseRejectedResult).reason).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    const stored = [before, after].map((s) => (s as PromiseFulfilledResult<AppendResult>).value);
    expect(seqs(stored)).toEqual([1, 2]);
    expect((neighbour as PromiseFulfilledResult<AppendResult>).value.message.seq).toBe(1);
    expect((await store.listMessages(roomId!, { limit: 10 })).messages.map((m) => m.clientId)).toEqual(['before', 'after']);
  });

  it('refuses a NUL character up front, without failing the batch it would have joined', async () => {
    const { store, counted } = await open();
    const [roomId] = await rooms(store, 1);
    counted();
    const settled = await Promise.allSettled([
      store.appendMessage(draft(roomId!, 'a')),
      store.appendMessage(draft(roomId!, 'nul', { text: 'a\u0000b' })),
      store.appendMessage(
        draft(roomId!, 'nul-json', { attachments: [{ url: 'https://files.example/a', type: 'text/plain', name: 'a\u0000' }] }),
      ),
      // An escaped backslash before `u0000` in JSON is text, not a NUL: stored.
      store.appendMessage(draft(roomId!, 'b', { attachments: [{ url: 'https://files.example/b', type: 'text/plain', name: '\\u0000' }] })),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(counted()).toBe(1);
    const page = await store.listMessages(roomId!, { limit: 10 });
    expect(page.messages.map((m) => [m.seq, m.clientId])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(page.messages[1]!.attachments[0]!.name).toBe('\\u0000');
  });

  it("moves each sender's read mark to its last message of the batch and indexes the mentions", async () => {
    const { store } = await open();
    const [roomId] = await rooms(store, 1);
    await store.addMembers(roomId!, [user, { id: 'v', name: 'V' }]);
    const results = await Promise.all([
      store.appendMessage(draft(roomId!, 'm1', { mentions: ['v'] })),
      store.appendMessage(draft(roomId!, 'm2', { user: { id: 'v', name: 'V' } })),
      store.appendMessage(draft(roomId!, 'm3')),
    ]);
    expect(seqs(results)).toEqual([1, 2, 3]);
    const members = await store.listMembers(roomId!);
    expect(Object.fromEntries(members.map((m) => [m.user.id, m.readSeq]))).toEqual({ u: 3, v: 2 });
    const [conversation] = await store.conversations('v', { limit: 10 });
    expect(conversation).toMatchObject({ unread: 1, mentions: 0, lastMessage: { seq: 3, clientId: 'm3' } });
    expect(results[0].message.mentions).toEqual(['v']);
    const { rows } = await store.pool.query('SELECT user_id, seq::int FROM chat_mentions WHERE room_id = $1', [roomId]);
    expect(rows).toEqual([{ user_id: 'v', seq: 1 }]);
  });

  it('acknowledges nothing when PostgreSQL cannot be reached: every sender of the batch gets an error', async () => {
    const store = new PostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere' });
    const settled = await Promise.allSettled([0, 1, 2].map((i) => store.appendMessage(draft('r', `c${i}`))));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    await store.close();
  });

  it('answers a batch whose answer was lost after its commit as stored (not as duplicates), each once', async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    // No merge of the search index's list on this pool meanwhile: the calls below are counted.
    await (store.searchMerge as PendingListMerger).close();
    const [roomId] = await rooms(store, 1);
    // The batch statement commits, then its answer is lost (as when the connection drops after the commit).
    const query = pool.query.bind(pool) as (config: unknown) => Promise<unknown>;
    const loseAnswer = (config: unknown): Promise<never> =>
      query(config).then(() => {
        throw new Error('Connection terminated unexpectedly');
      });
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- pool.query's overloads include the callback form; the store calls the promise form only
    const lost = vi.spyOn(pool, 'query').mockImplementationOnce(loseAnswer);
    const results = await Promise.all([store.appendMessage(draft(roomId!, 'a')), store.appendMessage(draft(roomId!, 'b'))]);
    expect(lost).toHaveBeenCalledTimes(3); // the batch, then each append alone
    expect(results.map((r) => [r.message.seq, r.message.clientId, r.duplicate])).toEqual([
      [1, 'a', false],
      [2, 'b', false],
    ]);
    expect((await store.listMessages(roomId!, { limit: 10 })).messages.map((m) => m.id)).toEqual(results.map((r) => r.message.id));
    // A later send with the same clientId is a duplicate as always.
    expect((await store.appendMessage(draft(roomId!, 'a'))).duplicate).toBe(true);
  });

  it('looks for a batch later only when it was sent: not when no connection was free in time', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    await store.init();
    const [roomId] = await rooms(store, 1);
    const pool = new pg.Pool({ connectionString: schema.connectionString, max: 1, connectionTimeoutMillis: 200 });
    const other = new pg.Pool({ connectionString: schema.connectionString, max: 1, query_timeout: 300 });
    // The pool's one connection, held: made under load it may take longer than the 200 ms the
    // test gives the batch's own wait, so it is asked for again (CI: "connection timeout" here).
    const held = await connectPatiently(pool);
    const busy = new GroupCommit(pool, { maxRows: 500, maxInFlight: 1 });
    const sent = new GroupCommit(other, { maxRows: 500, maxInFlight: 1 });
    const failures = async (appends: Promise<unknown>[]) =>
      (await Promise.allSettled(appends)).map((s) => s.status === 'rejected' && (s.reason as Error).message);
    try {
      // Every connection of the pool in use: the batch never reaches PostgreSQL, nothing can be stored late.
      expect(await failures([busy.append(draft(roomId!, 'a')), busy.append(draft(roomId!, 'b'))])).toEqual([
        'timeout exceeded when trying to connect',
        'timeout exceeded when trying to connect',
      ]);
      expect(busy.late.size).toBe(0);
      // Sent, and held by the room's row lock past query_timeout: it may commit later, so it is looked for.
      await held.query('BEGIN');
      await held.query('SELECT 1 FROM chat_rooms WHERE id = $1 FOR UPDATE', [roomId]);
      expect(await failures([sent.append(draft(roomId!, 'c'))])).toEqual(['Query read timeout']);
      expect(sent.late.size).toBe(1);
    } finally {
      busy.late.close();
      sent.late.close();
      await held.query('ROLLBACK');
      held.release();
      await Promise.all([pool.end(), other.end()]);
    }
  });

  it('two stores on two pools (two processes) appending to the same rooms at once stay gapless, each in its own order, without deadlocks', async () => {
    const [a, b] = [await open(), await open()];
    const ids = await rooms(a.store, 40);
    a.counted();
    b.counted();
    const rounds = 30;
    const mine: { a: AppendResult[]; b: AppendResult[] } = { a: [], b: [] };
    await Promise.all(
      (['a', 'b'] as const).map(async (who) => {
        const { store } = who === 'a' ? a : b;
        for (let round = 0; round < rounds; round++) {
          // The two stores take the rooms in opposite orders: a batch that locked rooms in the
          // order asked would deadlock with the other store's.
          const order = who === 'a' ? ids : [...ids].reverse();
          const turn = order.flatMap((roomId) => [0, 1].map((k) => store.appendMessage(draft(roomId, `${who}-${round}-${k}`))));
          mine[who].push(...(await Promise.all(turn)));
        }
      }),
    );
    // One statement per round on each store: no batch failed (a deadlock would have been retried row by row).
    expect([a.counted(), b.counted()]).toEqual([rounds, rounds]);
    for (const roomId of ids) {
      const page = await a.store.listMessages(roomId, { limit: 200 });
      expect(page.messages.map((m) => m.seq)).toEqual(range(rounds * 4));
      for (const who of ['a', 'b'] as const) {
        const ordered = mine[who].filter((r) => r.message.roomId === roomId).map((r) => r.message.seq);
        expect(ordered).toEqual([...ordered].sort((x, y) => x - y));
        expect(page.messages.filter((m) => m.clientId.startsWith(`${who}-`)).map((m) => m.seq)).toEqual(ordered);
      }
    }
  });
});

/** A connection of `pool`, asked for again while connecting times out (a loaded machine), up to 20 times. */
async function connectPatiently(pool: pg.Pool): Promise<pg.PoolClient> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}
