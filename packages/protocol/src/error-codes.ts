// The table of error codes: what each means and its HTTP status, for the server's REST answers, its
// logs and the docs. Kept apart from ./errors.ts so that a client bundle, which only asks
// `ChatError.retryable`, does not carry the descriptions.
import type { ErrorCode } from './errors.js';

/** What each code means, its HTTP status, and whether retrying the same request can help. */
export interface ErrorCodeInfo {
  /** One line for docs and logs. */
  readonly description: string;
  /** Status used by the REST handler. */
  readonly status: number;
  /** True when the same request may succeed later (after a wait or a reconnect). */
  readonly retryable: boolean;
}

/** Every error code's description, HTTP status and `retryable` (the same as `ChatError.retryable`). */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  UNAUTHENTICATED: { description: 'No valid identity: missing, bad or expired credentials.', status: 401, retryable: false },
  FORBIDDEN: { description: 'The identity is known but this action is not allowed for it.', status: 403, retryable: false },
  VALIDATION_FAILED: { description: 'The payload does not match the schema of the event or route.', status: 400, retryable: false },
  PAYLOAD_TOO_LARGE: {
    description:
      "Text, attachments, mentions, reactions of a message, a request body, a user's push subscriptions, or a user's e2ee key packages or devices exceed a configured limit.",
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
  POLL_CLOSED: {
    description: 'The poll is closed (by its creator, a moderator, or its closing time): it takes no more votes.',
    status: 409,
    retryable: false,
  },
  E2EE_STALE_EPOCH: {
    description:
      "An encrypted room's commit was made in an epoch the group has left (another member committed first): apply the missed commits (`e2ee:sync`) and commit again. The same commit never succeeds.",
    status: 409,
    retryable: false,
  },
  E2EE_DEVICE_REMOVED: {
    description:
      'The device this request names was removed by its user (`e2ee:device:remove`, `chat.removeDevice`): it takes part in no encrypted room any more. Stop its e2ee requests; a new device, with a new id and new keys, can be added.',
    status: 403,
    retryable: false,
  },
  TIMEOUT: {
    description:
      'The server did not finish in time: the request may or may not have taken effect. Resending it with the same clientId is safe.',
    status: 504,
    retryable: true,
  },
  INTERNAL: { description: 'Something failed on the server; the details are in its logs.', status: 500, retryable: true },
};
