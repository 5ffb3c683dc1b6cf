import type pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { CommonLexemes } from './common-lexemes.js';
import { PostgresStore } from './postgres-store.js';
import { searchPostgres } from './search-sql.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// The search index's most common lexemes kept per store (common-lexemes.ts): a rare word's GIN
// statement gets them as a parameter instead of reading pg_stats on every search.

/** How many statements that read pg_stats a spied pool was asked. */
function statsReads(spy: { mock: { calls: unknown[][] } }): number {
  return spy.mock.calls.filter(([text]) => typeof text === 'string' && text.includes('pg_stats')).length;
}

/** A store with room `r` (its messages replaced) of 300 messages, one in 3 with `plum`, and `kumquat` in two; analyzed. */
async function seeded(pool: pg.Pool): Promise<PostgresStore> {
  const store = new PostgresStore({ pool });
  await store.init();
  await store.createRoom({ id: 'r' });
  await pool.query('TRUNCATE chat_messages CASCADE');
  await pool.query(
    `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at)
     SELECT 'm' || i, 'r', i, 'm' || i, 'u', 'U',
            CASE WHEN i IN (7, 150) THEN 'a kumquat' WHEN i % 3 = 0 THEN 'plum number ' || i ELSE 'words ' || i END,
            now() - make_interval(secs => 300 - i)
     FROM generate_series(1, 300) AS i`,
  );
  await pool.query(`UPDATE chat_rooms SET last_seq = 300, last_message_at = now() WHERE id = 'r'`);
  await pool.query('ANALYZE chat_messages');
  return store;
}

describe.skipIf(skipWithoutPostgres())('the search index common lexemes, kept per store', () => {
  const schema = useTestSchema();

  it('reads pg_stats once for many searches of the store, and once for concurrent ones', async () => {
    const pool = schema.pool();
    const store = await seeded(pool);
    const spy = vi.spyOn(pool, 'query');
    // A rare word: the probe of 200 finds one match, so each search reads the GIN index.
    const kumquat = { roomIds: ['r'], query: 'kumquat', limit: 10 };
    expect((await store.searchMessages(kumquat)).messages.map((m) => m.id)).toEqual(['m150', 'm7']);
    expect(statsReads(spy)).toBe(1);
    await Promise.all([store.searchMessages(kumquat), store.searchMessages(kumquat), store.searchMessages(kumquat)]);
    expect(statsReads(spy)).toBe(1);

    // A fresh list asked by five at once: one read, one answer.
    const lexemes = new CommonLexemes(pool);
    const lists = await Promise.all(Array.from({ length: 5 }, () => lexemes.get()));
    expect(lexemes.reads).toBe(1);
    expect(statsReads(spy)).toBe(2);
    expect(new Set(lists).size).toBe(1);
    // Exactly the lexemes ANALYZE found (plum among them), as the statement's own read sees them.
    const { rows } = await pool.query<{ words: string[] }>(
      `SELECT most_common_elems::text::text[] AS words FROM pg_stats WHERE tablename = 'chat_messages_search' AND schemaname = current_schema()`,
    );
    expect(lists[0]).toEqual(rows[0]!.words);
    expect(lists[0]).toContain('plum');
    spy.mockRestore();
  });

  it('reads the list again when it is older than its age, or forgotten', async () => {
    const pool = schema.pool();
    await seeded(pool);
    let now = 0;
    const lexemes = new CommonLexemes(pool, { maxAgeMs: 1000, now: () => now });
    expect(await lexemes.get()).not.toContain('fig');
    now = 999;
    await lexemes.get();
    expect(lexemes.reads).toBe(1);
    // The statistics change (fig in most messages now); the list still in its age does not.
    await pool.query(`UPDATE chat_messages SET text = text || ' fig' WHERE seq % 2 = 0`);
    await pool.query('ANALYZE chat_messages');
    expect(await lexemes.get()).not.toContain('fig');
    now = 1000;
    expect(await lexemes.get()).toContain('fig');
    expect(lexemes.reads).toBe(2);
    // Forgotten: read again at once, and a read started before forget() is answered but not kept.
    now = 5000;
    const before = lexemes.get();
    lexemes.forget();
    await before;
    await lexemes.get();
    expect(lexemes.reads).toBe(4);
    await lexemes.get();
    expect(lexemes.reads).toBe(4);
  });

  it('keeps no failed read: the search reads pg_stats in its statement, and the next search reads the list again', async () => {
    const pool = schema.pool();
    await seeded(pool);
    let failing = true;
    const flaky = {
      query: (text: string) => (failing ? Promise.reject(new Error('connection lost')) : pool.query(text)),
    } as unknown as pg.Pool;
    const lexemes = new CommonLexemes(flaky);
    const statements: string[] = [];
    const tracing = {
      query: (text: string, values: unknown[]) => {
        if (text.includes('AS found')) statements.push(text.includes('pg_stats') ? 'pg_stats' : 'list');
        return pool.query(text, values);
      },
    } as unknown as pg.Pool;
    // plum is common for the statistics: the rooms' index, whichever way the statement learns it.
    const plan = { probe: 1, walk: 1000, cap: 1000, commonHits: 99, sparse: 1000, sparseFrom: 0 };
    const expected = (await searchPostgres(pool, { roomIds: ['r'], query: 'plum', limit: 200 }, plan)).messages.map((m) => m.id);
    expect(expected).toHaveLength(99);
    const search = async () => (await searchPostgres(tracing, { roomIds: ['r'], query: 'plum', limit: 200 }, plan, lexemes)).messages;
    expect((await search()).map((m) => m.id)).toEqual(expected);
    expect(await lexemes.get()).toBeUndefined();
    expect(lexemes.reads).toBe(2);
    failing = false;
    expect((await search()).map((m) => m.id)).toEqual(expected);
    expect(lexemes.reads).toBe(3);
    expect(statements).toEqual(['pg_stats', 'list']);
  });
});
