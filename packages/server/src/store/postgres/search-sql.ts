import type pg from 'pg';
import type { MessageSearchPage, MessageSearchQuery } from '../../core/chat-store.js';
import { decodeSearchCursor, encodeSearchCursor, hasPositiveTerm, parseSearch, type SearchCursor } from '../search-query.js';
import { BASE_COLUMNS, messageColumns, toMessage, type MessageRow } from './message-sql.js';

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

// Two ways to find a page, both in one order: newest first by time to the millisecond as messages
// show it, then room and seq (a total order: pages never overlap).
//
// - NEWEST_SQL walks the newest messages of the rooms down the index of migration 14 and tests
//   each against the query, reading at most SEARCH_WINDOW of them. A common word fills its page within a
//   few dozen messages, where the GIN index would hand over every match (half a million for a word
//   in every second message of a million) to be read and sorted.
// - MATCHES_SQL reads the matches older than the window from the GIN index of migration 10 and
//   sorts them: what a word too rare to fill its page in the window needs, and few rows for it.
//   Its order is written on the timestamptz, which the planner cannot take from migration 14's
//   index: it keeps to the GIN index.

/** The most messages the walk down from the newest reads before the matches come from the GIN index. */
const SEARCH_WINDOW = 1000;
const MATCH = `${SEARCH_VECTOR} @@ websearch_to_tsquery('${SEARCH_CONFIG}'::regconfig, $1)`;
const NEWEST = `date_trunc('milliseconds', created_at AT TIME ZONE 'UTC')`;

// $1 query, $2 room ids, $3-$5 the cursor (time, room, seq) or nulls, $6 limit + 1, $7 the window.
// The matches of the window; then, only when they do not fill the page (a one-time filter: the
// walk of a common word stops at its page), one row (edge) for the window's oldest message and its size.
const NEWEST_SQL = `
  WITH w AS MATERIALIZED (
    SELECT ${BASE_COLUMNS} FROM chat_messages
    WHERE room_id = ANY($2::text[]) AND deleted_at IS NULL
      AND ($3::timestamptz IS NULL OR (${NEWEST}, room_id COLLATE "C", seq) < ($3::timestamptz AT TIME ZONE 'UTC', $4::text COLLATE "C", $5::bigint))
    ORDER BY ${NEWEST} DESC, room_id COLLATE "C" DESC, seq DESC
    LIMIT $7
  ), hits AS MATERIALIZED (
    SELECT * FROM w WHERE ${MATCH} LIMIT $6
  )
  SELECT ${messageColumns('hits')}, false AS edge, 0 AS size FROM hits
  UNION ALL
  (SELECT w.*, NULL::text, NULL::boolean, NULL::jsonb, true AS edge, count(*) OVER () AS size FROM w WHERE (SELECT count(*) FROM hits) < $6
   ORDER BY ${NEWEST} ASC, room_id COLLATE "C" ASC, seq ASC LIMIT 1)`;

// $1 query, $2 room ids, $3-$5 the cursor (time, room, seq) or nulls, $6 how many.
const TIME = `date_trunc('milliseconds', created_at)`;
const MATCHES_SQL = `
  SELECT ${messageColumns('chat_messages')} FROM chat_messages
  WHERE room_id = ANY($2::text[]) AND deleted_at IS NULL AND ${MATCH}
    AND ($3::timestamptz IS NULL OR (${TIME}, room_id COLLATE "C", seq) < ($3::timestamptz, $4::text COLLATE "C", $5::bigint))
  ORDER BY ${TIME} DESC, room_id COLLATE "C" DESC, seq DESC
  LIMIT $6`;

type WindowRow = MessageRow & { edge: boolean; size: string | number };

/** `ChatStore.searchMessages` on PostgreSQL; `window`: how many of the newest messages to walk (tests make it small). */
export async function searchPostgres(pool: pg.Pool, query: MessageSearchQuery, window = SEARCH_WINDOW): Promise<MessageSearchPage> {
  const after = query.before === undefined ? undefined : decodeSearchCursor(query.before);
  // websearch_to_tsquery('-word') matches every message without the word, through no index.
  if (query.roomIds.length === 0 || !hasPositiveTerm(parseSearch(query.query))) return { messages: [] };
  const roomIds = [...new Set(query.roomIds)];
  const wanted = query.limit + 1;
  const cursor = (c: SearchCursor | undefined) => [c?.createdAt ?? null, c?.roomId ?? null, c?.seq ?? null];
  const walked = (await pool.query<WindowRow>(NEWEST_SQL, [query.query, roomIds, ...cursor(after), wanted, window])).rows;
  const rows: MessageRow[] = walked.filter((row) => !row.edge);
  const edge = walked.find((row) => row.edge);
  // The window ran out before the page was full and there are older messages: the rest from the GIN index.
  if (rows.length < wanted && edge && Number(edge.size) === window) {
    const older = await pool.query<MessageRow>(MATCHES_SQL, [query.query, roomIds, ...cursor(toMessage(edge)), wanted - rows.length]);
    rows.push(...older.rows);
  }
  const messages = rows.slice(0, query.limit).map(toMessage);
  const last = messages.at(-1);
  return { messages, ...(rows.length > query.limit && last ? { next: encodeSearchCursor(last) } : {}) };
}
