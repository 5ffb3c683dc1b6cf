import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { PendingListMerger } from './search-merge.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { waitFor } from '../../../../../test-support/wait.js';

// The search index's pending list (migration 21) is merged by the store, off the send path
// (search-merge.ts): appends only add their words to the list, search reads the list and the
// index alike, and a role that may not merge stops merging without failing a send.

const DATABASE_URL = process.env['DATABASE_URL'];

/** `count` messages in `roomId` whose text holds `word`, sent at once (group commit batches them). */
async function send(store: PostgresStore, roomId: string, word: string, count: number): Promise<void> {
  await store.createRoom({ id: roomId });
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      store.appendMessage({
        roomId,
        clientId: `${word}-${i}`,
        user: { id: 'ana', name: 'Ana' },
        text: `the ${word} crossed the river at dawn, message number ${i} of the morning shift`,
        attachments: [],
      }),
    ),
  );
}

/**
 * Autovacuum's ANALYZE merges the list too (a stock PostgreSQL runs it on a table this new after
 * 50 rows): off for the table, so that what these tests see merged is the store's doing.
 */
const noAutovacuum = (store: PostgresStore) => store.pool.query('ALTER TABLE chat_messages SET (autovacuum_enabled = off)');

const found = async (store: PostgresStore, roomId: string, word: string): Promise<number> =>
  (await store.searchMessages({ roomIds: [roomId], query: word, limit: 100 })).messages.length;

describe.skipIf(skipWithoutPostgres())('PostgresStore: the search index pending list merged off the send path', () => {
  const schema = useTestSchema();
  const empty = useTestSchema();
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('finds what appends put in the list, merges it into the index, and finds it there', async () => {
    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    await noAutovacuum(store);
    // No ticks: the merge below is the only one, so the list is known to hold these messages.
    const merger = store.searchMerge as PendingListMerger;
    await merger.close();
    await send(store, 'river', 'zebra', 60);
    expect(await found(store, 'river', 'zebra')).toBe(60);
    expect(store.searchMerge.pagesMerged).toBe(0);

    await merger.merge();
    expect(store.searchMerge.stoppedBy).toBe('closed');
    expect(store.searchMerge.pagesMerged).toBeGreaterThan(0);
    // Merged into the index: the list is empty now, and the messages are found as before.
    const again = await store.pool.query<{ pages: string }>(`SELECT gin_clean_pending_list('chat_messages_search'::regclass) AS pages`);
    expect(again.rows[0]?.pages).toBe('0');
    expect(await found(store, 'river', 'zebra')).toBe(60);
    await store.close();
  });

  it('merges on its own while the store appends', async () => {
    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    await noAutovacuum(store);
    await send(store, 'ford', 'okapi', 60);
    await waitFor(() => expect(store.searchMerge.pagesMerged).toBeGreaterThan(0));
    expect(store.searchMerge.stoppedBy).toBeUndefined();
    expect(await found(store, 'ford', 'okapi')).toBe(60);
    await store.close();
    expect(store.searchMerge.stoppedBy).toBe('closed');
  });

  it('merges the words of a send that PostgreSQL held past several ticks', async () => {
    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    await noAutovacuum(store);
    await store.createRoom({ id: 'weir' });
    // Another transaction holds the room's row: the batch waits for it, its words not yet listed.
    const holder = await store.pool.connect();
    await holder.query(`BEGIN; SELECT 1 FROM chat_rooms WHERE id = 'weir' FOR UPDATE`);
    const sent = send(store, 'weir', 'egret', 60);
    try {
      await waitFor(async () => {
        // Not on the holder: in a transaction, pg_stat_activity stays as its first read saw it.
        const { rows } = await store.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        expect(rows[0]?.n).toBeGreaterThan(0);
      });
      const before = store.searchMerge.merges;
      // Ticks come every 250 ms: none may spend the send's turn on a list without its words.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(store.searchMerge.merges).toBe(before);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    await sent;
    await waitFor(() => expect(store.searchMerge.pagesMerged).toBeGreaterThan(0));
    expect(await found(store, 'weir', 'egret')).toBe(60);
    await store.close();
  });

  it('merges what the list holds when the store starts, before any send', async () => {
    const first = new PostgresStore({ connectionString: schema.connectionString });
    await first.init();
    await noAutovacuum(first);
    await (first.searchMerge as PendingListMerger).close();
    await send(first, 'shoal', 'ibis', 60);
    await first.close();

    const next = new PostgresStore({ connectionString: schema.connectionString });
    await next.init();
    expect(next.searchMerge.merges).toBe(1);
    expect(next.searchMerge.pagesMerged).toBeGreaterThan(0);
    expect(await found(next, 'shoal', 'ibis')).toBe(60);
    await next.close();
  });

  it('tries again later where the index is missing (another process still building it), and stops only for good reasons', async () => {
    const pool = empty.pool();
    const merger = new PendingListMerger(pool);
    await merger.merge();
    expect(merger.merges).toBe(0);
    expect(merger.stoppedBy).toBeUndefined();
    await merger.close();
  });

  it('stops merging for a role that does not own the index; its sends and searches go on', async () => {
    // The schema is migrated by its owner; the app then connects as a role with rights on the
    // tables only (PostgreSQL lets only the index's owner merge its list).
    const owner = new PostgresStore({ connectionString: schema.connectionString });
    await owner.init();
    await owner.close();
    const role = `chat_role_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    cleanups.push(async () => {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
      await admin.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
      await admin.end();
    });
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT ALL ON SCHEMA ${schema.name} TO ${role}`);
    await admin.query(`GRANT ALL ON ALL TABLES IN SCHEMA ${schema.name} TO ${role}`);
    await admin.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA ${schema.name} TO ${role}`);
    const url = new URL(schema.connectionString);
    url.username = role;
    const warned = new Promise<Error & { code?: string }>((resolve) => process.once('warning', resolve));
    const store = new PostgresStore({ connectionString: url.href });
    // Its first merge is at the start: refused, said once as a process warning.
    await store.init();
    expect(store.searchMerge.stoppedBy).toMatch(/^42501: must be owner of index chat_messages_search/u);
    expect(await warned).toMatchObject({ code: 'CHAT_SEARCH_MERGE_STOPPED', message: expect.stringContaining('42501') as unknown });
    await send(store, 'delta', 'heron', 30);
    await send(store, 'estuary', 'heron', 5);
    expect(await found(store, 'delta', 'heron')).toBe(30);
    expect(await found(store, 'estuary', 'heron')).toBe(5);
    await store.close();
  });
});
