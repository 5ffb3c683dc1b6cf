import { ChatError, builtInError, toChatError } from '@chat/protocol';

// Which failures mean "the storage could not be reached" (PostgreSQL restarted, stalled, out of
// connections, the network between cut), so that a person is told that in words, rather than
// "something went wrong". The store's drivers say it in their own ways; this is the one place
// that knows them (pg's messages, PostgreSQL's SQLSTATEs, Node's socket error codes).

/** What a person is told when the storage cannot be reached. */
export const STORAGE_UNREACHABLE = "The chat's storage cannot be reached right now. Try again in a moment.";

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
// (from the client, or pg-pool while waiting for one), a connection that closed under a query,
// and a client that broke before.
const PG_DEADLINES = [
  'Query read timeout',
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
];
const PG_LOST = [/^Connection terminated/, /is not queryable/];

/**
 * True when pg gave up waiting for PostgreSQL (`query_timeout`, `connectionTimeoutMillis`): the
 * request may or may not have reached it, and trying again at once would wait as long again.
 */
export function isStorageDeadline(error: unknown): boolean {
  return error instanceof Error && PG_DEADLINES.includes(error.message);
}

/** True when `error` (or an error it wraps) says the storage could not be reached; see {@link storageUnreachable}. */
function isStorageUnreachable(error: unknown): boolean {
  // The error itself, then what it wraps (pg-pool's connection timeout wraps the socket's error).
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    if (current instanceof ChatError) return false;
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

/** `toChatError`, but a failure to reach the storage is said as {@link storageUnreachable} says it. */
export function chatErrorOf(error: unknown): ChatError {
  return storageUnreachable(error) ?? toChatError(error);
}
