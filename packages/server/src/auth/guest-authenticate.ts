import { createHash, randomUUID } from 'node:crypto';
import { builtInError, DEFAULT_LIMITS, createPayloadSchemas, parsePayload, type ChatUser } from '@chat/protocol';
import type { Authenticate, ChatHandshake } from '../core/handshake.js';

/** Options of {@link guestAuthenticate}. */
export interface GuestAuthenticateOptions {
  /** Longest name after trimming. @default 64 */
  maxNameLength?: number;
}

const GUEST_KEY = /^[A-Za-z0-9_-]{16,128}$/u;

/**
 * The default `authenticate`: a guest with a display name from `handshake.auth.name`.
 * A client may send a secret `guestKey` it keeps across reconnects; the public user id is a
 * hash of it, so reconnects keep one identity and nobody can claim another guest's id.
 * @example createChatServer(http, { authenticate: guestAuthenticate({ maxNameLength: 32 }) })
 */
export function guestAuthenticate(options: GuestAuthenticateOptions = {}): Authenticate {
  const schemas = createPayloadSchemas({ ...DEFAULT_LIMITS, maxNameLength: options.maxNameLength ?? DEFAULT_LIMITS.maxNameLength });
  return (handshake: ChatHandshake): ChatUser => {
    const rawName = handshake.auth['name'];
    if (rawName === undefined || rawName === null || rawName === '') {
      throw builtInError('UNAUTHENTICATED', 'Please give a name to join as a guest.');
    }
    let name: string;
    try {
      name = parsePayload(schemas.name, rawName);
    } catch (error) {
      throw builtInError('UNAUTHENTICATED', (error as Error).message, { cause: error });
    }
    const key = handshake.auth['guestKey'];
    if (key === undefined || key === null) return { id: `guest_${randomUUID()}`, name };
    // A key that breaks the rule is refused: taking it for "no key" would give the client a new
    // identity on every connection while it believes it keeps one.
    if (typeof key !== 'string' || !GUEST_KEY.test(key)) {
      throw builtInError('UNAUTHENTICATED', 'guestKey must be 16 to 128 characters of A-Z, a-z, 0-9, _ and -.');
    }
    return { id: `guest_${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`, name };
  };
}
