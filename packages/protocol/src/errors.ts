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
  TIMEOUT: 'TIMEOUT',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What each code means, its HTTP status, and whether retrying the same request can help. */
export interface ErrorCodeInfo {
  /** One line for docs and logs. */
  readonly description: string;
  /** Status used by the REST handler. */
  readonly status: number;
  /** True when the same request may succeed later (after a wait or a reconnect). */
  readonly retryable: boolean;
}

export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  UNAUTHENTICATED: { description: 'No valid identity: missing, bad or expired credentials.', status: 401, retryable: false },
  FORBIDDEN: { description: 'The identity is known but this action is not allowed for it.', status: 403, retryable: false },
  VALIDATION_FAILED: { description: 'The payload does not match the schema of the event or route.', status: 400, retryable: false },
  PAYLOAD_TOO_LARGE: {
    description: 'Text, attachments, mentions, reactions of a message or a request body exceed a configured limit.',
    status: 413,
    retryable: false,
  },
  RATE_LIMITED: { description: 'Too many requests; wait `retryAfter` milliseconds.', status: 429, retryable: true },
  ROOM_NOT_FOUND: { description: 'No room with this id exists (and rooms are not created on join).', status: 404, retryable: false },
  ROOM_ENDED: { description: 'The room has ended; it can be read but not joined or written.', status: 409, retryable: false },
  ROOM_EXISTS: {
    description: 'A room with this id already exists (`chat.createRoom`, REST `POST /rooms`).',
    status: 409,
    retryable: false,
  },
  NOT_IN_ROOM: { description: 'The socket has not joined the room it acts on.', status: 409, retryable: false },
  ALREADY_IN_ROOM: {
    description: 'The socket has already joined this room (the built-in server answers a repeated join again instead).',
    status: 409,
    retryable: false,
  },
  NAME_TAKEN: { description: 'Another member of the room already uses this display name.', status: 409, retryable: false },
  MESSAGE_NOT_FOUND: { description: 'The message referred to does not exist in this room.', status: 404, retryable: false },
  BANNED: {
    description: 'The user is banned from this room (until `until`, or until a moderator lifts it).',
    status: 403,
    retryable: false,
  },
  MUTED: {
    description: 'The user is muted in this room: they can read but not send or react (until `until`, or until lifted).',
    status: 403,
    retryable: false,
  },
  CALL_NOT_FOUND: { description: 'No call with this id is going on (it never existed or has ended).', status: 404, retryable: false },
  TIMEOUT: {
    description:
      'The server did not finish in time: the request may or may not have taken effect. Resending it with the same clientId is safe.',
    status: 504,
    retryable: true,
  },
  INTERNAL: { description: 'Something failed on the server; the details are in its logs.', status: 500, retryable: true },
};

/** The error object on the wire: in failed acks, REST bodies and `connect_error.data`. */
export interface ChatErrorData {
  code: ErrorCode;
  message: string;
  /** Milliseconds to wait before retrying (with `RATE_LIMITED`). */
  retryAfter?: number;
  /** When a ban or mute ends (ISO 8601, with `BANNED` and `MUTED`); absent: until lifted. */
  until?: string;
}

/** Options for {@link ChatError}. */
export interface ChatErrorOptions {
  cause?: unknown;
  retryAfter?: number;
  until?: string;
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

  constructor(code: ErrorCode, message: string, options: ChatErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatError';
    this.code = code;
    this.retryAfter = options.retryAfter;
    this.until = options.until;
  }

  /** Whether the same request may succeed later. */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }

  /** The wire form; never includes the cause or stack. */
  toJSON(): ChatErrorData {
    const data: ChatErrorData = { code: this.code, message: this.message };
    if (this.retryAfter !== undefined) data.retryAfter = this.retryAfter;
    if (this.until !== undefined) data.until = this.until;
    return data;
  }

  /** Rebuilds a ChatError from its wire form. */
  static fromData(data: ChatErrorData): ChatError {
    const options: ChatErrorOptions = {};
    if (data.retryAfter !== undefined) options.retryAfter = data.retryAfter;
    if (typeof data.until === 'string') options.until = data.until;
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
  return new ChatError('INTERNAL', 'Something went wrong on the server. Please try again.', { cause: error });
}

/** True when `value` has the shape of {@link ChatErrorData} (for parsing acks and REST bodies). */
export function isChatErrorData(value: unknown): value is ChatErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return isErrorCode(v.code) && typeof v.message === 'string';
}
