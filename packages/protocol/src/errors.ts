/**
 * Error codes carried in every failed ack, REST error body and `ChatError`.
 * @example if (err.code === ErrorCode.RATE_LIMITED) await sleep(err.retryAfter ?? 1000);
 */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  ROOM_ENDED: 'ROOM_ENDED',
  ROOM_EXISTS: 'ROOM_EXISTS',
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  ALREADY_IN_ROOM: 'ALREADY_IN_ROOM',
  NAME_TAKEN: 'NAME_TAKEN',
  MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
  BANNED: 'BANNED',
  MUTED: 'MUTED',
  CALL_NOT_FOUND: 'CALL_NOT_FOUND',
  POLL_CLOSED: 'POLL_CLOSED',
  E2EE_STALE_EPOCH: 'E2EE_STALE_EPOCH',
  E2EE_DEVICE_REMOVED: 'E2EE_DEVICE_REMOVED',
  TIMEOUT: 'TIMEOUT',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

// The codes' descriptions and HTTP statuses are for the server and the docs (./error-codes.ts,
// exported from the index beside this file); a client needs only which codes a retry can help.
/** The codes for which the same request may succeed later (after a wait or a reconnect). */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['RATE_LIMITED', 'TIMEOUT', 'INTERNAL']);

/** The error object on the wire: in failed acks, REST bodies and `connect_error.data`. */
export interface ChatErrorData {
  code: ErrorCode;
  message: string;
  /** Milliseconds to wait before retrying (with `RATE_LIMITED`). */
  retryAfter?: number;
  /** When a ban or mute ends (ISO 8601, with `BANNED` and `MUTED`); absent: until lifted. */
  until?: string;
  /**
   * The language of `message` (a BCP 47 tag), when its writer said it. The toolkit's own sentences
   * are `en`; a client showing another language may say the code in its own words instead. Absent
   * (a host's hook wrote the sentence and did not say): show `message` as it is.
   */
  lang?: string;
}

/** Options for {@link ChatError}. */
export interface ChatErrorOptions {
  cause?: unknown;
  retryAfter?: number;
  until?: string;
  /** The language of the message (BCP 47), e.g. `'es'` for a hook that writes Spanish. */
  lang?: string;
}

/**
 * The one error class of the toolkit: a protocol `code` and a message written for a person.
 * @example throw new ChatError('FORBIDDEN', 'Only hosts can end this room.');
 */
export class ChatError extends Error {
  readonly code: ErrorCode;
  readonly retryAfter: number | undefined;
  /** When a ban or mute ends (with `BANNED` and `MUTED`). */
  readonly until: string | undefined;
  /** The language of `message`, when its writer said it (`en` for the toolkit's own sentences). */
  readonly lang: string | undefined;

  constructor(code: ErrorCode, message: string, options: ChatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatError';
    this.code = code;
    this.retryAfter = options.retryAfter;
    this.until = options.until;
    this.lang = options.lang;
  }

  /** Whether the same request may succeed later. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** The wire form; never includes the cause or stack. */
  toJSON(): ChatErrorData {
    const data: ChatErrorData = { code: this.code, message: this.message };
    if (this.retryAfter !== undefined) data.retryAfter = this.retryAfter;
    if (this.until !== undefined) data.until = this.until;
    if (this.lang !== undefined) data.lang = this.lang;
    return data;
  }

  /** Rebuilds a ChatError from its wire form. */
  static fromData(data: ChatErrorData): ChatError {
    const options: ChatErrorOptions = {};
    if (data.retryAfter !== undefined) options.retryAfter = data.retryAfter;
    if (typeof data.until === 'string') options.until = data.until;
    if (typeof data.lang === 'string') options.lang = data.lang;
    return new ChatError(isErrorCode(data.code) ? data.code : 'INTERNAL', data.message, options);
  }
}

/** True when `value` is one of the protocol's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, value);
}

/**
 * Turns anything thrown into a ChatError. Unknown errors become `INTERNAL` with a generic
 * message so that internals never reach a client; the original is kept as `cause`.
 */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  return new ChatError('INTERNAL', 'Something went wrong on the server. Please try again.', { cause: error, lang: 'en' });
}

/** True when `value` has the shape of {@link ChatErrorData} (for parsing acks and REST bodies). */
export function isChatErrorData(value: unknown): value is ChatErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === 'string';
}
