import type pg from 'pg';

// The most common lexemes that ANALYZE found in the search index (pg_stats.most_common_elems of
// chat_messages_search's expression), kept in the process: a rare word's GIN statement asks
// whether a word of the query is among them, and reading the pg_stats view inside that statement
// cost about 1.2 ms more planning on every such search (docs/performance.md, "A rare word without
// the rooms' index").

/** The index's row of pg_stats (none before its first ANALYZE): shared by the cached read and the statement's own (search-sql.ts). */
export const INDEX_STATS = `pg_stats s
  WHERE s.tablename = 'chat_messages_search'
    AND s.schemaname = (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('chat_messages_search'))`;

/** Every lexeme of that row's `most_common_elems`, as text, with the cast the statement's own read uses. */
const COMMON_LEXEMES_SQL = `SELECT array(SELECT unnest(s.most_common_elems::text::text[]) FROM ${INDEX_STATS}) AS words`;

/** How long a list read is kept: autovacuum's ANALYZE may change the statistics at any time. */
const MAX_AGE_MS = 5 * 60_000;

/** What the cache needs of the pool: one statement. */
type Queryable = Pick<pg.Pool, 'query'>;

/** Options of `CommonLexemes` (tests give a clock and a short age). */
export interface CommonLexemesOptions {
  /** How long a list is kept after its read started, in ms. @default 300000 */
  maxAgeMs?: number;
  /** The clock, in ms (monotonic). @default performance.now */
  now?: () => number;
}

/**
 * The index's most common lexemes for one store: read once, then again when older than `maxAgeMs`
 * or after `forget()`. Concurrent searches share one read in flight; a failed read is not kept
 * (`get()` answers undefined, and the search reads pg_stats in its statement as it did before).
 */
export class CommonLexemes {
  readonly #pool: Queryable;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #words: readonly string[] | undefined;
  #readAt = 0;
  #inFlight: Promise<readonly string[] | undefined> | undefined;
  /** Bumped by `forget()`: a read started before it is answered, not kept. */
  #generation = 0;
  /** How many times pg_stats was read (for tests). */
  reads = 0;

  constructor(pool: Queryable, options: CommonLexemesOptions = {}) {
    this.#pool = pool;
    this.#maxAgeMs = options.maxAgeMs ?? MAX_AGE_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The list, read when there is none or it is too old; undefined when that read failed. */
  get(): Promise<readonly string[] | undefined> {
    if (this.#words && this.#now() - this.#readAt < this.#maxAgeMs) return Promise.resolve(this.#words);
    this.#inFlight ??= this.#read();
    return this.#inFlight;
  }

  /** Drops the list (after an ANALYZE of chat_messages): the next `get()` reads it again. */
  forget(): void {
    this.#words = undefined;
    this.#inFlight = undefined;
    this.#generation++;
  }

  async #read(): Promise<readonly string[] | undefined> {
    const generation = this.#generation;
    const startedAt = this.#now();
    this.reads++;
    try {
      const { rows } = await this.#pool.query<{ words: string[] }>(COMMON_LEXEMES_SQL);
      const words = rows[0]?.words ?? [];
      // A read that started before forget() may hold the statistics it dropped: answered, not kept.
      if (generation === this.#generation) {
        this.#words = words;
        this.#readAt = startedAt;
      }
      return words;
    } catch {
      return undefined;
    } finally {
      if (generation === this.#generation) this.#inFlight = undefined;
    }
  }
}
