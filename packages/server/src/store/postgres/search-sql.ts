import type pg from 'pg';
import type { MessageSearchPage, MessageSearchQuery } from '../../core/search-records.js';
import { decodeSearchCursor, encodeSearchCursor, hasPositiveTerm, parseSearch, type SearchCursor } from '../../core/search-query.js';
import { BASE_COLUMNS, messageColumns, toMessage, type MessageRow } from './message-sql.js';
import { INDEX_STATS, type CommonLexemes } from './common-lexemes.js';

// Message search of PostgresStore: full-text search over chat_messages.text with the text search
// configuration chat_search (a copy of the store's searchLanguage, with unaccent in front of its
// word dictionaries when the extension can be had), through the GIN index of migration 10.

/** The text search configuration the index and every query use. */
const SEARCH_CONFIG = 'chat_search';

/** What `prepareSearch` set up: the language of the configuration and whether it folds accents. */
export interface SearchSetup {
  language: string;
  accentsFolded: boolean;
}

const LANGUAGE = /^[a-z_][a-z0-9_]{0,62}$/u;
// No right to create the extension (or in public); no schema public: search then keeps accents.
const CANNOT_INSTALL = new Set(['42501', '3F000']);

/**
 * Creates the configuration `chat_search` when this database has none (inside the migration
 * transaction, under its lock): a copy of `language`, folding accents with `unaccent` when that
 * extension is installed or the store's user may install it (a trusted extension from PostgreSQL
 * 13: a database owner may). A database whose configuration was made for another language is
 * refused: its index would not match the queries.
 */
export async function prepareSearch(client: pg.ClientBase, language: string): Promise<SearchSetup> {
  const existing = await client.query<{ description: string | null }>(
    `SELECT obj_description(oid, 'pg_ts_config') AS description FROM pg_ts_config WHERE cfgname = $1 AND cfgnamespace = current_schema()::regnamespace`,
    [SEARCH_CONFIG],
  );
  const found = existing.rows[0];
  if (found) {
    const setup = readDescription(found.description);
    if (setup.language !== language) {
      throw new Error(
        `PostgresStore: searchLanguage is '${language}' but this database's search index was built for '${setup.language}'. ` +
          'Keep the old language, or rebuild the index (docs/storage.md, "Changing searchLanguage").',
      );
    }
    return setup;
  }
  if (!LANGUAGE.test(language) || (await client.query('SELECT 1 FROM pg_ts_config WHERE cfgname = $1', [language])).rowCount === 0) {
    throw new Error(`PostgresStore: searchLanguage '${language}' is not a text search configuration of this database (see \\dF in psql).`);
  }
  const accentsFolded = await haveUnaccent(client);
  await client.query(`CREATE TEXT SEARCH CONFIGURATION ${SEARCH_CONFIG} (COPY = pg_catalog.${language})`);
  if (accentsFolded) {
    // The dictionaries of words with letters beyond ASCII (word, hword, hword_part), unaccent first.
    const { rows } = await client.query<{ dicts: string }>(
      `SELECT string_agg(m.mapdict::regdictionary::text, ', ' ORDER BY m.mapseqno) AS dicts
       FROM pg_ts_config_map m JOIN ts_token_type('default') t ON t.tokid = m.maptokentype
       WHERE m.mapcfg = $1::regconfig AND t.alias = 'word'`,
      [SEARCH_CONFIG],
    );
    const unaccent = (
      await client.query<{ name: string }>(`SELECT oid::regdictionary::text AS name FROM pg_ts_dict WHERE dictname = 'unaccent'`)
    ).rows[0];
    await client.query(
      `ALTER TEXT SEARCH CONFIGURATION ${SEARCH_CONFIG} ALTER MAPPING FOR word, hword, hword_part WITH ${unaccent?.name ?? 'unaccent'}, ${rows[0]?.dicts ?? 'simple'}`,
    );
  }
  await client.query(
    `COMMENT ON TEXT SEARCH CONFIGURATION ${SEARCH_CONFIG} IS 'chat search: ${language}${accentsFolded ? ' unaccent' : ''}'`,
  );
  return { language, accentsFolded };
}

function readDescription(description: string | null): SearchSetup {
  const words = (description ?? '').replace(/^chat search: /u, '').split(' ');
  return { language: words[0] ?? '', accentsFolded: words.includes('unaccent') };
}

// Installs unaccent if it is not there and this user may; never fails for lack of privilege.
async function haveUnaccent(client: pg.ClientBase): Promise<boolean> {
  const installed = await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'unaccent'`);
  if (installed.rowCount !== 0) return true;
  const available = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'`);
  if (available.rowCount === 0) return false;
  await client.query('SAVEPOINT chat_unaccent');
  try {
    // In public, not in the first schema of the search path: the extension is the database's, not one schema's.
    await client.query('CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public');
    await client.query('RELEASE SAVEPOINT chat_unaccent');
    return true;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT chat_unaccent');
    if (CANNOT_INSTALL.has((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

/** The index expression, written the same in migration 10 and in every query so that the planner uses the index. */
const SEARCH_VECTOR = `to_tsvector('${SEARCH_CONFIG}'::regconfig, text)`;

// Three ways to read a page, all in one order: newest first by time to the millisecond as
// messages show it, then room and seq (a total order: pages never overlap). Which one a search
// takes, it learns from a first short walk (`searchPostgres`).
//
// - WALK_SQL walks the newest messages down the index of migration 14, reading at most a window
//   of them (of any room), and tests those of the rooms against the query. A common word fills its page within a
//   few dozen messages, where the GIN index would hand over every match (half a million for a word
//   in every second message of a million) to be read and sorted.
// - CAPPED_SQL reads the matches from the GIN index of migration 10, at most a cap of them, and
//   sorts them: what a rare word needs, and few rows for it. Past the cap it gives up (the word is
//   common after all, in older messages) and the longer walk takes over.
// - MATCHES_SQL reads every match older than the longer walk from the GIN index: the rest of a
//   word that walk showed to be rare.
// Orders of the GIN reads are written on the timestamptz, which the planner cannot take from
// migration 14's index: they keep to the GIN index.

/** How a search reads: the sizes of its steps (tests make them small, to reach every path). */
export interface SearchPlan {
  /**
   * How many of the newest messages (of any room) the first walk reads: how many matches it finds
   * among those of the rooms searched tells how common the words are.
   */
  probe: number;
  /** Past a probe that found the words common: how many more messages (of any room) a longer walk reads before the GIN index gives the rest. */
  walk: number;
  /** Past a probe that found them rare: how many matches the GIN index may give before the longer walk takes over. */
  cap: number;
  /**
   * How many matches for every `probe` messages of the rooms searched (among those the probe read)
   * make a word common enough for the longer walk; at least one match, always.
   */
  commonHits: number;
  /**
   * A rare word's first GIN read: at most how many matches of the whole table (of any room) it
   * tests one by one for the rooms (`CAPPED_SQL`) before it reads the rooms' index instead.
   */
  sparse: number;
  /**
   * From how many messages of the rooms searched (the sum of their `last_seq`) that read is tried:
   * below, reading the rooms' entries of their index costs less than the read it would save.
   */
  sparseFrom: number;
}

/**
 * 200 newest messages first: a word in 1 of 10 or more of a user whose rooms hold them all fills its
 * page there. A probe with 3 matches in 200 of the rooms' messages or more (about 1 in 70 and more)
 * walks on, at most 20,000 messages (some 1,400 for a word in 1 of 70 when the rooms hold them
 * all; for rooms that hold one message in 20 of the table, 10 of the probe's and 1,000 of the
 * walk's); one with fewer reads the GIN index, at most 20,000 matches (a word in 1 of 100 in a million
 * messages has 10,000): reading a match from the GIN index costs far less than testing a message
 * in the walk (its text is parsed again), so the GIN index takes every word it can read in full.
 * There, when the rooms hold 100,000 messages or more, a word with fewer than 2,000 matches in the
 * whole table has them tested for the rooms one by one (up to about 10 µs each when the row is not
 * in shared buffers), rather than with the rooms' entries of the (room_id, seq) index (about 0.09
 * µs an entry: 43 ms for 500 rooms of 1,000 messages). A word with more pays that try (2,000 rows
 * and its GIN bitmap built twice) before the rooms' index: 8 ms for one with 11,000 matches.
 */
const PLAN: SearchPlan = { probe: 200, walk: 20_000, cap: 20_000, commonHits: 3, sparse: 2_000, sparseFrom: 100_000 };
const MATCH = `${SEARCH_VECTOR} @@ websearch_to_tsquery('${SEARCH_CONFIG}'::regconfig, $1)`;
const NEWEST = `date_trunc('milliseconds', created_at AT TIME ZONE 'UTC')`;
const TIME = `date_trunc('milliseconds', created_at)`;
const ORDER = `${TIME} DESC, room_id COLLATE "C" DESC, seq DESC`;
const AFTER_CURSOR = `($3::timestamptz IS NULL OR (${TIME}, room_id COLLATE "C", seq) < ($3::timestamptz, $4::text COLLATE "C", $5::bigint))`;

// $1 query, $2 room ids, $3-$5 the cursor (time, room, seq) or nulls, $6 how many, $7 the window
// (always a number: bounded, and the edge row, which reads the whole window, stays cheap). The
// window is the newest messages of the whole table, of any room: the walk is capped by the rows it
// reads, not by the rows it keeps. (Capped by the rows kept, a user whose rooms hold one message in
// 20 read 20 rows for each kept: PostgreSQL 15 cannot keep the index's order with room_id = ANY as a
// condition of it, so the rooms are a filter after each row is read.) The matches of the window in
// the rooms; then, only when they do not fill the page (a one-time filter: the walk of a common word
// stops at its page), one row (edge) for the window's oldest message, its size and how many of its
// messages are in the rooms (kept).
const WALK_SQL = `
  WITH w AS MATERIALIZED (
    SELECT ${BASE_COLUMNS} FROM chat_messages
    WHERE deleted_at IS NULL
      AND ($3::timestamptz IS NULL OR (${NEWEST}, room_id COLLATE "C", seq) < ($3::timestamptz AT TIME ZONE 'UTC', $4::text COLLATE "C", $5::bigint))
    ORDER BY ${NEWEST} DESC, room_id COLLATE "C" DESC, seq DESC
    LIMIT $7
  ), hits AS MATERIALIZED (
    SELECT * FROM w WHERE room_id = ANY($2::text[]) AND ${MATCH} LIMIT $6
  )
  SELECT ${messageColumns('hits')}, false AS edge, 0 AS size, 0 AS kept FROM hits
  UNION ALL
  (SELECT w.*, NULL::text, NULL::boolean, NULL::jsonb, NULL::jsonb, NULL::jsonb, NULL::jsonb, true AS edge, count(*) OVER () AS size,
     count(*) FILTER (WHERE w.room_id = ANY($2::text[])) OVER () AS kept
   FROM w WHERE (SELECT count(*) FROM hits) < $6
   ORDER BY ${NEWEST} ASC, room_id COLLATE "C" ASC, seq ASC LIMIT 1)`;

// Whether a word of $1 is among the most common lexemes that ANALYZE found in the search index
// (pg_stats of its expression; none before its first ANALYZE): at 10,000,000 messages the least of
// them is in some 6,000. Such a word has too many matches for the sparse read to be worth its try.
// Read in the statement only when the process has no list of them (common-lexemes.ts): planning
// the pg_stats view costs more than the rest of the statement's planning.
const QUERY_LEXEMES = `tsvector_to_array(to_tsvector('${SEARCH_CONFIG}'::regconfig, $1))`;
const COMMON_LEXEME = `SELECT 1 FROM ${INDEX_STATS} AND s.most_common_elems::text::text[] && ${QUERY_LEXEMES}`;

// $1-$5 as WALK_SQL's, $6 how many, $7 the cap + 1, $8 and $9 the plan's sparse and sparseFrom;
// with `cached`, $10 the index's most common lexemes (text[]) in place of the read of pg_stats.
// The keys of the first cap + 1 matches in no order (the read stops there; keys only, light to
// count and sort), how many they were (found), and the newest $6 of them, read whole by id. (A CTE
// of the keys read twice, to count and to sort, took 2 to 3 times as long for 10,000 matches.)
// The matches come from one of two reads, the other not run (a one-time filter on the count of
// the first):
// - sparse: the word's matches in the whole table from the GIN index alone, at most `lim` of them,
//   each row's room tested after: one row read per match, whatever the rooms' size. Used when
//   there are fewer than `lim` (a word in 1 of 10,000 messages of 10,000,000: 1,000 rows).
// - rooms: otherwise, the GIN index and the rooms' entries of the (room_id, seq) index, ANDed:
//   the planner's choice for `room_id = ANY` with the GIN condition, which reads every message of
//   the rooms in that index (500,000 entries for 500 rooms of 1,000: 43 ms) but few rows.
// `lim` is 0 (no sparse read, not even its GIN bitmap, built again by the other read) for rooms whose
// messages are few enough for their index to be cheap, and for a word that ANALYZE found common.
const cappedSql = (cached: boolean) => `
  WITH lim AS MATERIALIZED (
    SELECT CASE WHEN coalesce(sum(last_seq), 0) >= $9::bigint AND ${cached ? `NOT ($10::text[] && ${QUERY_LEXEMES})` : `NOT EXISTS (${COMMON_LEXEME})`} THEN $8::int ELSE 0 END AS n
    FROM chat_rooms WHERE id = ANY($2::text[])
  ), sparse AS MATERIALIZED (
    SELECT id, room_id, seq, created_at FROM chat_messages
    WHERE deleted_at IS NULL AND ${MATCH} AND ${AFTER_CURSOR}
    LIMIT (SELECT n FROM lim)
  ), page AS MATERIALIZED (
    SELECT id, found FROM (
      SELECT id, room_id, seq, created_at, count(*) OVER () AS found FROM (
        (SELECT id, room_id, seq, created_at FROM sparse
         WHERE (SELECT count(*) FROM sparse) < (SELECT n FROM lim) AND room_id = ANY($2::text[])
         LIMIT $7)
        UNION ALL
        (SELECT id, room_id, seq, created_at FROM chat_messages
         WHERE (SELECT count(*) FROM sparse) >= (SELECT n FROM lim)
           AND room_id = ANY($2::text[]) AND deleted_at IS NULL AND ${MATCH} AND ${AFTER_CURSOR}
         LIMIT $7)
      ) capped
    ) counted
    ORDER BY ${NEWEST} DESC, room_id COLLATE "C" DESC, seq DESC LIMIT $6
  )
  SELECT ${messageColumns('m')}, page.found FROM chat_messages m JOIN page ON page.id = m.id
  ORDER BY ${NEWEST} DESC, m.room_id COLLATE "C" DESC, m.seq DESC`;
const CAPPED_SQL = cappedSql(false);
const CAPPED_CACHED_SQL = cappedSql(true);

// $1 room ids. Where the rooms' messages start, newest first: a cursor just above the newest
// message of any of them (the rooms' last_message_at, which every append sets to its messages'
// created_at, the statement's time), or none when they hold no message. Primary-key reads of the
// rooms, and none of chat_messages.
const ROOMS_NEWEST_SQL = `
  SELECT to_char(date_trunc('milliseconds', max(last_message_at) AT TIME ZONE 'UTC') + interval '1 millisecond',
    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS above
  FROM chat_rooms WHERE id = ANY($1::text[])`;

// $1-$5 as WALK_SQL's, $6 how many.
const MATCHES_SQL = `
  SELECT ${messageColumns('chat_messages')} FROM chat_messages
  WHERE room_id = ANY($2::text[]) AND deleted_at IS NULL AND ${MATCH} AND ${AFTER_CURSOR}
  ORDER BY ${ORDER}
  LIMIT $6`;

type WalkRow = MessageRow & { edge: boolean; size: string | number; kept: string | number };
type CappedRow = MessageRow & { found: string | number };

/** What one walk found: its matches, and where its window ended when they did not fill the page and the window did. */
interface Walked {
  hits: MessageRow[];
  /** The oldest message of a window that was read in full (the next step starts below it). */
  end?: SearchCursor;
  /** With `end`: how many messages of the window were in the rooms searched. */
  kept?: number;
}

/**
 * `ChatStore.searchMessages` on PostgreSQL; `plan`: the sizes of its steps (tests make them small);
 * `lexemes`: the store's list of the index's most common lexemes (without it, or when its read
 * fails, the rare word's statement reads pg_stats itself).
 */
export async function searchPostgres(
  pool: pg.Pool,
  query: MessageSearchQuery,
  plan: SearchPlan = PLAN,
  lexemes?: CommonLexemes,
): Promise<MessageSearchPage> {
  const after = query.before === undefined ? undefined : decodeSearchCursor(query.before);
  // websearch_to_tsquery('-word') matches every message without the word, through no index.
  if (query.roomIds.length === 0 || !hasPositiveTerm(parseSearch(query.query))) return { messages: [] };
  const roomIds = [...new Set(query.roomIds)];
  const wanted = query.limit + 1;
  const params = (from: SearchCursor | undefined, n: number) => [
    query.query,
    roomIds,
    from?.createdAt ?? null,
    from?.roomId ?? null,
    from?.seq ?? null,
    n,
  ];
  const walk = async (from: SearchCursor | undefined, n: number, window: number): Promise<Walked> => {
    const rows = (await pool.query<WalkRow>(WALK_SQL, [...params(from, n), window])).rows;
    const edge = rows.find((row) => row.edge);
    const hits = rows.filter((row) => !row.edge);
    return edge && Number(edge.size) === window ? { hits, end: toMessage(edge), kept: Number(edge.kept) } : { hits };
  };

  let probe = await walk(after, wanted, plan.probe);
  if (probe.end && probe.kept === 0) {
    // None of the rooms' messages among the newest of the table: the probe had nothing to judge
    // by, and a walk would read other rooms' messages. Probe again from the rooms' newest message.
    const above = (await pool.query<{ above: string | null }>(ROOMS_NEWEST_SQL, [roomIds])).rows[0]?.above;
    if (!above) return { messages: [] };
    const start: SearchCursor = { createdAt: above, roomId: '', seq: 0 };
    if (start.createdAt < probe.end.createdAt) probe = await walk(start, wanted, plan.probe);
  }
  const rows = probe.hits;
  if (rows.length < wanted && probe.end) {
    // Common: at least commonHits matches for every `probe` messages of the rooms the probe read.
    const common = rows.length > 0 && rows.length * plan.probe >= plan.commonHits * (probe.kept ?? 0);
    const rest = await readOn(probe.end, wanted - rows.length, common);
    rows.push(...rest);
  }
  const messages = rows.slice(0, query.limit).map(toMessage);
  const last = messages.at(-1);
  return { messages, ...(rows.length > query.limit && last ? { next: encodeSearchCursor(last) } : {}) };

  // Past the probe: a common word walks on, and the GIN index gives what is older than the walk; a
  // rare one reads the GIN index, and past its cap (common in older messages after all) walks too.
  async function readOn(from: SearchCursor, n: number, common: boolean): Promise<MessageRow[]> {
    if (!common) {
      const values = [...params(from, n), plan.cap + 1, plan.sparse, plan.sparseFrom];
      const commonWords = await lexemes?.get();
      const capped = (
        await (commonWords ? pool.query<CappedRow>(CAPPED_CACHED_SQL, [...values, commonWords]) : pool.query<CappedRow>(CAPPED_SQL, values))
      ).rows;
      if (Number(capped[0]?.found ?? 0) <= plan.cap) return capped;
    }
    const longer = await walk(from, n, plan.walk);
    if (longer.hits.length >= n || !longer.end) return longer.hits;
    const older = await pool.query<MessageRow>(MATCHES_SQL, params(longer.end, n - longer.hits.length));
    return [...longer.hits, ...older.rows];
  }
}
