import type pg from 'pg';

// The settings of the connections a PostgresStore opens itself (from a connection string). A
// database that stops answering without closing the connection (a frozen server, a network that
// drops packets) would otherwise hold every request that reached it, and the pool's connections,
// for ever: the chat would stay down after the database came back. With these, a connection that
// cannot be made in time, or a query with no answer in time, fails (the request is told that the
// storage cannot be reached, core/storage-unreachable.ts), the connection is thrown away, and the
// next request opens a new one. TCP keepalive finds a connection the network dropped while idle.

/** How long a new connection may take, by default. */
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long a query may go unanswered, by default: far above any query of the store's on a table of 10,000,000 messages. */
const DEFAULT_QUERY_TIMEOUT_MS = 8_000;

/** The deadlines of `PostgresStoreOptions`; 0 turns one off. */
interface StoreDeadlines {
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
}

function deadline(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(
      `PostgresStore's ${name} must be a whole number of milliseconds, 0 or more (0: no deadline); it was ${String(value)}.`,
    );
  }
  return value;
}

/**
 * A pool's settings for `connectionString` with the store's deadlines. `queries: false` leaves the
 * query deadline out (migrations: building an index on a large table may take minutes).
 */
export function ownPoolConfig(connectionString: string, max: number, deadlines: StoreDeadlines, queries = true): pg.PoolConfig {
  const connect = deadline(deadlines.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs');
  const query = deadline(deadlines.queryTimeoutMs, DEFAULT_QUERY_TIMEOUT_MS, 'queryTimeoutMs');
  return {
    connectionString,
    max,
    keepAlive: true,
    ...(connect > 0 && { connectionTimeoutMillis: connect }),
    ...(queries && query > 0 && { query_timeout: query }),
  };
}
