import type pg from 'pg';

// The options of PostgresStore, and the pool settings the store makes from them.

/**
 * Options of `PostgresStore`: a connection string (the store makes its pools, with deadlines),
 * or a pool the app already has (used as it is: its own settings, deadlines or none, apply).
 */
export type PostgresStoreOptions = (PostgresConnectionOptions | { pool: pg.Pool; connectionString?: undefined }) & {
  /**
   * The PostgreSQL text search configuration message search stems and drops stop words by (`english`,
   * `spanish`, ...). `simple` keeps every word as written (lower case): right for rooms in several
   * languages, and what MemoryStore does. Fixed once the index is built (docs/storage.md).
   * @default 'simple'
   */
  searchLanguage?: string;
};

/**
 * How `PostgresStore` connects when it makes its own pools. A PostgreSQL that stops answering
 * without closing the connection (a network cut, a frozen server) fails a request after these
 * deadlines with a clear error, instead of holding it for ever (docs/storage.md, "When PostgreSQL
 * stalls"). Keep `queryTimeoutMs` under the chat server's `requestTimeoutMs`, so that a stall is
 * answered with that error rather than with `TIMEOUT`.
 */
export interface PostgresConnectionOptions {
  /** Where PostgreSQL is: `postgres://user@host:5432/db` (a `search_path` may go in its `options`). */
  connectionString: string;
  /** Not with `connectionString`: the store makes its own pools. */
  pool?: undefined;
  /** Connections of the main pool (group commit has up to 4 more of its own). @default 10 */
  max?: number;
  /** How long to wait for a connection (a new one, or a free one of the pool); 0: no deadline. @default 5000 */
  connectTimeoutMs?: number;
  /**
   * How long a query may go without PostgreSQL's answer before it fails and its connection is
   * closed (PostgreSQL rolls back a transaction left open; a lone statement it already received
   * may still commit, and a resend with the same `clientId` finds it); 0: no deadline. Migrations
   * in `init()` have none (an index build may take long). @default 8000
   */
  queryTimeoutMs?: number;
}

/** What the store's own pools are made with: the deadlines, and TCP keepalive (a dead peer is found out). */
export interface PoolDeadlines {
  connectionTimeoutMillis: number;
  query_timeout: number;
  keepAlive: true;
  keepAliveInitialDelayMillis: number;
}

function deadlineMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`PostgresStore: ${name} must be a whole number of milliseconds, 0 or more.`);
  return value;
}

export function poolDeadlines(options: PostgresConnectionOptions): PoolDeadlines {
  return {
    connectionTimeoutMillis: deadlineMs('connectTimeoutMs', options.connectTimeoutMs, 5000),
    query_timeout: deadlineMs('queryTimeoutMs', options.queryTimeoutMs, 8000),
    keepAlive: true,
    // The first probe after 10 s of silence (the OS default is 2 hours).
    keepAliveInitialDelayMillis: 10_000,
  };
}
