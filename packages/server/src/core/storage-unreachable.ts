// Storage that cannot be reached (a database down, restarting, out of connections, or silent
// behind a network that dropped it) is not a bug of the request: the person is told so in words,
// and that trying again is right, instead of "Something went wrong". The cause stays on the error
// for the server's log. Any store may throw these; PostgresStore's deadlines (connectTimeoutMs,
// queryTimeoutMs) turn a silent database into one of them instead of a request that never ends.
import { ChatError, builtInError, toChatError } from '@chat/protocol';

/** What a person is told when the chat's storage cannot be reached. */
export const STORAGE_UNREACHABLE_MESSAGE = "The chat's message storage cannot be reached right now. Try again in a moment.";

/** Node's socket errors that mean the other end is not there (or stopped answering). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);
/**
 * PostgreSQL's SQLSTATEs of the same meaning: class 08 (connection exception), the server shutting
 * down or starting (57P01 to 57P03), and too many connections (53300).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres's own errors for a connection that never came, went, or stopped answering. */
const PG_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];

/** True when `error` says the storage could not be reached (not that the request itself was wrong). */
export function isStorageUnreachable(error: unknown): boolean {
  if (error instanceof ChatError || typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m));
}

/**
 * The error a request is answered with: a ChatError as it is, storage that cannot be reached as
 * `INTERNAL` with {@link STORAGE_UNREACHABLE_MESSAGE} (the cause kept), anything else as
 * `toChatError` makes it.
 */
export function requestError(error: unknown): ChatError {
  if (isStorageUnreachable(error)) return builtInError('INTERNAL', STORAGE_UNREACHABLE_MESSAGE, { cause: error });
  return toChatError(error);
}
