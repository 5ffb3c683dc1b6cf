import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { searchPostgres, type SearchPlan } from './search-sql.js';
import { CommonLexemes } from './common-lexemes.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// PostgreSQL search in steps (search-sql.ts): a short walk down the newest messages (migration 14's
// index), then, when it did not fill the page, a longer walk and the GIN index for what is older,
// or the GIN index up to a cap and past it a walk. Here the steps are made a few messages long so
// that pages end in each step and on the edges between them, and every page is checked against
// the order worked out here.

interface Row {
  id: string;
  room: string;
  seq: number;
  /** Microseconds after the base time. */
  at: number;
  text: string;
  deleted: boolean;
}

const ROOMS = ['a', 'b', 'c'];
const BASE = Date.parse('2025-03-01T10:00:00.000Z');
// 90 messages over three rooms; four at a time share a millisecond, their microseconds in the
// opposite order of their rooms (the order is by the millisecond, then room and seq, as messages show
// times). Every second one has the word, every seventh is deleted; room z is not searched (all of
// its messages have the word: every path must leave them out).
const rows: Row[] = Array.from({ length: 90 }, (_, i) => ({
  id: `m${i}`,
  room: i % 10 === 9 ? 'z' : ROOMS[i % 3]!,
  seq: i + 1,
  at: Math.floor(i / 4) * 1000 + (3 - (i % 4)) * 100,
  text: i % 2 === 0 || i % 10 === 9 ? `fig number ${i}` : `plain number ${i}`,
  deleted: i % 7 === 0,
}));
const ms = (row: Row) => Math.floor(row.at / 1000);
const expected = rows
  .filter((r) => ROOMS.includes(r.room) && !r.deleted && r.text.startsWith('fig'))
  .sort((x, y) => ms(y) - ms(x) || (x.room < y.room ? 1 : x.room > y.room ? -1 : y.seq - x.seq))
  .map((r) => r.id);

/** Each room's last_message_at and last_seq as the appends that stored its messages would have set them (the rows here are written directly). */
async function asAppended(pool: pg.Pool): Promise<void> {
  await pool.query(
    `UPDATE chat_rooms r SET (last_message_at, last_seq) = (SELECT max(created_at), coalesce(max(seq), 0) FROM chat_messages m WHERE m.room_id = r.id)`,
  );
}

/** Stores messages of seq 1 to 100 a second apart, seq 100 at `newest` (ms), as appends would have. */
async function storeSecondApart(pool: pg.Pool, rows: Array<{ id: string; room: string; seq: number; text: string }>, newest: number) {
  await pool.query(
    `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at)
     SELECT r.id, r.room, r.seq, r.id, 'u', 'U', r.text, $2::timestamptz - make_interval(secs => 100 - r.seq)
     FROM json_to_recordset($1::json) AS r (id text, room text, seq int, text text)`,
    [JSON.stringify(rows), new Date(newest).toISOString()],
  );
  await asAppended(pool);
}

/** A search of `roomIds` that also answers the steps it took, one a statement. */
function tracedSearch(pool: pg.Pool, roomIds: string[]) {
  const steps: string[] = [];
  const traced = {
    query: (text: string, values: unknown[]) => {
      steps.push(
        text.includes('hits AS MATERIALIZED')
          ? 'walk'
          : text.includes('last_message_at')
            ? 'rooms newest'
            : text.includes('AS found')
              ? 'gin capped'
              : 'gin',
      );
      return pool.query(text, values);
    },
  } as unknown as pg.Pool;
  return async (query: string, limit: number, plan: SearchPlan, before?: string) => {
    steps.length = 0;
    const result = await searchPostgres(traced, { roomIds, query, limit, ...(before && { before }) }, plan);
    return { found: result.messages.map((m) => m.id), steps: [...steps], next: result.next };
  };
}

interface PlanNode {
  'Relation Name'?: string;
  'Subplan Name'?: string;
  'Actual Loops'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** Which of the rare word's GIN reads ran (CAPPED_SQL, captured from a search): `EXPLAIN ANALYZE` of it again. */
async function ginReadsRun(pool: pg.Pool, text: string, values: unknown[]): Promise<{ sparse: boolean; rooms: boolean }> {
  const { rows } = await pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    node.Plans?.forEach(walk);
  };
  walk(rows[0]!['QUERY PLAN'][0]!.Plan);
  const ran = (node: PlanNode) => (node['Actual Loops'] ?? 0) > 0;
  // The sparse read's CTE gave rows; a read of chat_messages with the rooms as its condition ran.
  const sparse = nodes.some((n) => n['Subplan Name'] === 'CTE sparse' && ran(n) && (n['Actual Rows'] ?? 0) > 0);
  const rooms = nodes.some((n) => {
    const { Plans: _children, ...own } = n;
    return n['Relation Name'] === 'chat_messages' && ran(n) && JSON.stringify(own).includes('room_id = ANY');
  });
  return { sparse, rooms };
}

describe.skipIf(skipWithoutPostgres())('PostgreSQL search: newest first, then the GIN index', () => {
  const schema = useTestSchema();

  it('pages every result once, in order, wherever the walk ends and whatever the page size', async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    for (const room of [...ROOMS, 'z']) await store.createRoom({ id: room });
    await pool.query(
      `INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, deleted_at)
       SELECT r.id, r.room, r.seq, r.id, 'u', 'U', CASE WHEN r.deleted THEN '' ELSE r.text END,
              $2::timestamptz + make_interval(secs => r.at / 1e6), CASE WHEN r.deleted THEN now() END
       FROM json_to_recordset($1::json) AS r (id text, room text, seq int, at int, text text, deleted boolean)`,
      [JSON.stringify(rows), new Date(BASE).toISOString()],
    );
    await asAppended(pool);
    expect(expected.length).toBeGreaterThan(30);
    // Every way through: probes that end the page, that send the rest to a longer walk (a common
    // word) or to the GIN index (a rare one), walks and caps that run out in the middle of a page.
    // The rare word's GIN read tests the whole table's matches one by one (sparse 1000), or reads
    // the rooms' index from the start (sparseFrom 1000: the rooms hold fewer), or tries the first
    // and, past a few matches, reads the second (sparse 3: the last pages read the first).
    const plans: SearchPlan[] = [
      { probe: 1000, walk: 1000, cap: 1000, commonHits: 1, sparse: 1000, sparseFrom: 0 },
      { probe: 1, walk: 2, cap: 1000, commonHits: 1, sparse: 1000, sparseFrom: 0 },
      { probe: 3, walk: 7, cap: 1000, commonHits: 1, sparse: 1000, sparseFrom: 0 },
      { probe: 2, walk: 1000, cap: 1000, commonHits: 99, sparse: 1000, sparseFrom: 0 },
      { probe: 2, walk: 1000, cap: 1000, commonHits: 99, sparse: 1000, sparseFrom: 1000 },
      { probe: 2, walk: 1000, cap: 1000, commonHits: 99, sparse: 3, sparseFrom: 0 },
      { probe: 7, walk: 3, cap: 5, commonHits: 99, sparse: 1000, sparseFrom: 0 },
      { probe: 7, walk: 3, cap: 5, commonHits: 99, sparse: 1000, sparseFrom: 1000 },
      { probe: 1, walk: 1000, cap: 1, commonHits: 99, sparse: 1000, sparseFrom: 0 },
      { probe: 1, walk: 1000, cap: 1, commonHits: 99, sparse: 3, sparseFrom: 0 },
    ];
    for (const plan of plans) {
      for (const limit of [1, 2, 5, 9]) {
        const found: string[] = [];
        let before: string | undefined;
        for (let page = 0; page < 100; page++) {
          const result = await searchPostgres(pool, { roomIds: [...ROOMS, 'a'], query: 'fig', limit, ...(before && { before }) }, plan);
          expect(result.messages.length).toBeLessThanOrEqual(limit);
          found.push(...result.messages.map((m) => m.id));
          if (!result.next) break;
          before = result.next;
        }
        expect({ plan, limit, found }).toEqual({ plan, limit, found: expected });
      }
    }
    // A word no message has: nothing, whichever step looks for it.
    for (const plan of plans)
      expect(await searchPostgres(pool, { roomIds: ROOMS, query: 'absent', limit: 5 }, plan)).toEqual({ messages: [] });
  });

  // The walks are capped by the messages they read, of any room, not by those of the rooms searched:
  // rooms that hold few of the newest messages cost a search no more than rooms that hold them all.
  // Here room q (not searched) holds the 30 newest messages and 4 of every 5 older ones; room p one in 5.
  it('walks a window of the newest messages of any room, and judges a word common by its share of the rooms messages', async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    await store.createRoom({ id: 'p' });
    await store.createRoom({ id: 'q' });
    const older = Array.from({ length: 100 }, (_, i) => ({
      id: `n${i}`,
      room: i >= 30 && i % 5 === 0 ? 'p' : 'q',
      seq: 100 - i,
      text: i === 95 ? 'a yak' : i % 10 === 0 ? 'kiwi' : 'plain',
    }));
    await storeSecondApart(pool, older, BASE + 3_600_000);
    const search = tracedSearch(pool, ['p']);

    // A probe of 20 reads q's messages only: nothing of p's to judge by. A probe from p's newest
    // message (n30) reads 4 of them, none with the word: the GIN index.
    expect(await search('yak', 5, { probe: 20, walk: 1000, cap: 1000, commonHits: 3, sparse: 1000, sparseFrom: 0 })).toMatchObject({
      found: ['n95'],
      steps: ['walk', 'rooms newest', 'walk', 'gin capped'],
    });
    // A probe of 50 reads 4 of p's messages, 2 with the word: common (3 in 50 of p's would do), so it walks on.
    expect(await search('kiwi', 4, { probe: 50, walk: 1000, cap: 1000, commonHits: 3, sparse: 1000, sparseFrom: 0 })).toMatchObject({
      found: ['n30', 'n40', 'n50', 'n60'],
      steps: ['walk', 'walk'],
    });
    // The same word with a window of 5 messages read: the longer walk ends in q's messages, the GIN index gives the rest.
    expect(await search('kiwi', 4, { probe: 50, walk: 5, cap: 1000, commonHits: 3, sparse: 1000, sparseFrom: 0 })).toMatchObject({
      found: ['n30', 'n40', 'n50', 'n60'],
      steps: ['walk', 'walk', 'gin'],
    });
  });

  // Rooms whose messages are all older than the newest of the table (room s holds the 40 newest;
  // room o every message before them, each with the word): a probe reads none of o's, so the
  // search probes again from o's newest message, where a word in every message fills its page,
  // rather than reading the word's every match from the GIN index and walking s's messages.
  it("probes again from the rooms' newest message when the newest of the table are none of theirs", async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    for (const room of ['o', 's', 'empty']) await store.createRoom({ id: room });
    const all = Array.from({ length: 100 }, (_, i) => ({
      id: `k${i}`,
      room: i < 40 ? 's' : 'o',
      seq: 100 - i,
      text: i < 40 ? 'other words' : i === 99 ? 'the oldest pear' : `pear number ${i}`,
    }));
    await storeSecondApart(pool, all, BASE + 7_200_000);
    const search = tracedSearch(pool, ['o']);
    const plan: SearchPlan = { probe: 10, walk: 1000, cap: 5, commonHits: 3, sparse: 1000, sparseFrom: 0 };
    const first = await search('pear', 3, plan);
    expect(first).toMatchObject({ found: ['k40', 'k41', 'k42'], steps: ['walk', 'rooms newest', 'walk'] });
    // The next page starts below the first: o's messages are read from the probe on.
    expect(await search('pear', 3, plan, first.next)).toMatchObject({ found: ['k43', 'k44', 'k45'], steps: ['walk'] });
    // A word only o's oldest message has: probed again from o's newest, then the GIN index.
    expect(await search('oldest', 3, plan)).toMatchObject({ found: ['k99'], steps: ['walk', 'rooms newest', 'walk', 'gin capped'] });
    // Rooms with no message at all: nothing, without reading further.
    expect(await tracedSearch(pool, ['empty'])('pear', 3, plan)).toEqual({ found: [], steps: ['walk', 'rooms newest'], next: undefined });
    // Every path gives the same pages as one that reads the GIN index throughout.
    for (const limit of [1, 4, 7]) {
      const paged: string[] = [];
      let before: string | undefined;
      for (let page = 0; page < 100; page++) {
        const result = await search('pear', limit, plan, before);
        paged.push(...result.found);
        if (!result.next) break;
        before = result.next;
      }
      expect(paged).toEqual(all.filter((m) => m.room === 'o' && m.text.includes('pear')).map((m) => m.id));
    }
  });

  // A rare word's GIN read: the word's matches in the whole table, each row's room tested, unless
  // the rooms hold fewer messages than sparseFrom, or ANALYZE found the word among the index's most
  // common (pg_stats), or the table has sparse matches or more: then the rooms' index. Each read
  // twice, with the process's list of the most common (common-lexemes.ts) and with the statement
  // reading pg_stats itself: the same choice for the same statistics.
  it("reads a rare word's matches of the whole table, or the rooms' index when they would cost more", async () => {
    const pool = schema.pool();
    const store = new PostgresStore({ pool });
    await store.init();
    for (const room of ['v', 'w']) await store.createRoom({ id: room });
    const all = Array.from({ length: 100 }, (_, i) => ({
      id: `g${i}`,
      room: i % 2 === 0 ? 'v' : 'w',
      seq: 100 - i,
      text: i % 2 === 0 ? `grape number ${i}` : i % 3 === 0 ? 'a lime' : 'null words',
    }));
    await storeSecondApart(pool, all, BASE + 9_000_000);
    let captured: { text: string; values: unknown[] } | undefined;
    const capturing = {
      query: (text: string, values: unknown[]) => {
        if (text.includes('AS found')) captured = { text, values };
        return pool.query(text, values);
      },
    } as unknown as pg.Pool;
    const lexemes = new CommonLexemes(pool);
    const readWith = async (query: string, plan: Partial<SearchPlan>, list?: CommonLexemes) => {
      captured = undefined;
      const full: SearchPlan = { probe: 1, walk: 1000, cap: 1000, commonHits: 99, sparse: 1000, sparseFrom: 0, ...plan };
      const found = (await searchPostgres(capturing, { roomIds: [query === 'null' ? 'w' : 'v'], query, limit: 100 }, full, list)).messages;
      // The statement that ran: with the list as a parameter, or reading pg_stats.
      const statement = captured!.text.includes('pg_stats') ? 'pg_stats' : 'list';
      return { found: found.map((m) => m.id), statement, ...(await ginReadsRun(pool, captured!.text, captured!.values)) };
    };
    const read = async (query: string, plan: Partial<SearchPlan>) => {
      const { statement: inPlace, ...uncached } = await readWith(query, plan);
      const { statement: fromList, ...cached } = await readWith(query, plan, lexemes);
      expect({ query, plan, inPlace, fromList, cached }).toEqual({ query, plan, inPlace: 'pg_stats', fromList: 'list', cached: uncached });
      return uncached;
    };
    const grapes = all.filter((m) => m.room === 'v').map((m) => m.id);
    // No statistics yet: no word is common. 49 matches in the table below the probe's, fewer than sparse.
    expect(await read('grape', {})).toEqual({ found: grapes, sparse: true, rooms: false });
    // sparse or more: the try gives up and the rooms' index gives them.
    expect(await read('grape', { sparse: 40 })).toEqual({ found: grapes, sparse: true, rooms: true });
    // The rooms hold 100 messages (v's last_seq): under sparseFrom 101, the rooms' index only.
    expect(await read('grape', { sparseFrom: 101 })).toEqual({ found: grapes, sparse: false, rooms: true });
    // A word spelled like SQL's NULL: a lexeme as any other (w's messages).
    const nulls = all.filter((m) => m.text.startsWith('null')).map((m) => m.id);
    expect(await read('null', {})).toEqual({ found: nulls, sparse: true, rooms: false });
    // After ANALYZE, grape (in half the messages) is among the most common: the rooms' index only.
    // (The store's list is read again after ANALYZE, or when older than a few minutes.)
    await pool.query('ANALYZE chat_messages');
    lexemes.forget();
    expect(await read('grape', {})).toEqual({ found: grapes, sparse: false, rooms: true });
    expect(await read('null', {})).toEqual({ found: nulls, sparse: false, rooms: true });
    expect(await lexemes.get()).toEqual(expect.arrayContaining(['grape', 'null']));
    // A word of w's messages only: whichever read, nothing of v's.
    expect((await read('lime', {})).found).toEqual([]);
  });
});
