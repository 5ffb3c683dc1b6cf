import { ChatError, builtInError, toChatError } from '@chat/protocol';

// Which failures mean "the storage could not be reached" (PostgreSQL restarted, stalled, out of
// connections, the network between cut), so that a person is told that in words, rather than
// "something went wrong"; and the one that looks like it but is not (every connection of a pool in
// use: the storage answers, the chat is busy). The store's drivers say it in their own ways; this
// is the one place that knows them (pg's messages, PostgreSQL's SQLSTATEs, Node's socket error codes).

/** What a person is told when the storage cannot be reached. */
export const STORAGE_UNREACHABLE = "The chat's storage cannot be reached right now. Try again in a moment.";

/** What a person is told when every connection to the storage stayed in use past the deadline: it answers, but is busy. */
export const STORAGE_BUSY = 'The chat is busy right now. Try again in a moment.';

/** How long {@link storageBusy} asks a client to wait before it sends the request again. */
const STORAGE_BUSY_RETRY_MS = 1000;

// pg-pool's words when every connection of the pool stayed in use for `connectionTimeoutMillis`
// (a new connection that PostgreSQL did not answer in time says 'Connection terminated due to
// connection timeout' instead): the pool is too small for the load, or the app holds its connections.
const POOL_WAIT = 'timeout exceeded when trying to connect';

// Node's socket errors: refused, reset, timed out, no route, no such host (DNS down or wrong).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// PostgreSQL: class 08 (connection exception), 53300 too_many_connections, 57P01 admin_shutdown,
// 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, in recovery).
const SQLSTATE = /^(08...|53300|57P0[123])$/;

// pg's own words: a query past `query_timeout`, a connection past `connectionTimeoutMillis`
// (from the client, or pg-pool while making one or waiting for a free one), a connection that
// closed under a query, and a client that broke before.
const QUERY_READ_TIMEOUT = 'Query read timeout';
const PG_DEADLINES = [QUERY_READ_TIMEOUT, 'timeout expired', POOL_WAIT, 'Connection terminated due to connection timeout'];
const PG_LOST = [/^Connection terminated/, /is not queryable/];

/**
 * True when pg gave up waiting for PostgreSQL (`query_timeout`, `connectionTimeoutMillis`): the
 * request may or may not have reached it, and trying again at once would wait as long again.
 */
export function isStorageDeadline(error: unknown): boolean {
  return error instanceof Error && PG_DEADLINES.includes(error.message);
}

/**
 * True when pg gave up on a query it had sent (`query_timeout`): PostgreSQL may still carry it out.
 * The other deadlines ({@link isStorageDeadline}) are met before the query is sent (a free or a new
 * connection waited for in vain), so nothing of it can be stored.
 */
export function isSentQueryDeadline(error: unknown): boolean {
  return error instanceof Error && error.message === QUERY_READ_TIMEOUT;
}

/** True when pg-pool waited `connectionTimeoutMillis` for a free connection of a full pool, in vain. */
function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ChatError) && error.message === POOL_WAIT;
}

/**
 * `RATE_LIMITED` with {@link STORAGE_BUSY} and `retryAfter` when every connection of the pool
 * stayed in use past its deadline (the request never reached PostgreSQL, which may well be
 * answering: a client waits and sends it again); undefined for anything else. The original is
 * kept as `cause` for the server's logs. docs/storage.md says how to size the pool.
 */
export function storageBusy(error: unknown): ChatError | undefined {
  if (!isPoolExhausted(error)) return undefined;
  return builtInError('RATE_LIMITED', STORAGE_BUSY, { cause: error, retryAfter: STORAGE_BUSY_RETRY_MS });
}

/**
 * Whether a request's error goes to the server's `error` listeners (its logs): the server's own
 * failures (`INTERNAL`), and a pool with no free connection (the operator sizes the pool; the
 * person was told the chat is busy). A refusal of the request itself (bad input, no right) is not.
 */
export function isReported(error: ChatError): boolean {
  return error.code === 'INTERNAL' || isPoolExhausted(error.cause);
}

/** True when `error` (or an error it wraps) says the storage could not be reached; see {@link storageUnreachable}. */
function isStorageUnreachable(error: unknown): boolean {
  // The error itself, then what it wraps (pg-pool's connection timeout wraps the socket's error).
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    if (current instanceof ChatError || isPoolExhausted(current)) return false;
    const { code } = current as { code?: unknown };
    const message = current.message;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (isStorageDeadline(current) || PG_LOST.some((words) => words.test(message))) return true;
    // Node tries each address of a host (IPv6 and IPv4): all refused is one AggregateError.
    if (current instanceof AggregateError && current.errors.some(isStorageUnreachable)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * `INTERNAL` (retryable) with {@link STORAGE_UNREACHABLE} when `error` says the storage could not
 * be reached, the original kept as `cause` for the server's logs; undefined for anything else
 * (a `ChatError` keeps its own words).
 */
export function storageUnreachable(error: unknown): ChatError | undefined {
  if (!isStorageUnreachable(error)) return undefined;
  return builtInError('INTERNAL', STORAGE_UNREACHABLE, { cause: error });
}

/**
 * `toChatError`, but a pool with no free connection is said as {@link storageBusy} says it, and a
 * failure to reach the storage as {@link storageUnreachable} says it.
 */
export function chatErrorOf(error: unknown): ChatError {
  return storageBusy(error) ?? storageUnreachable(error) ?? toChatError(error);
}
