import type { IncomingHttpHeaders } from 'node:http';
import type { ChatUser } from '@chat/protocol';

/**
 * What `authenticate` receives: a Socket.IO handshake, or for REST requests an object of the
 * same shape with `auth.token` taken from `Authorization: Bearer <token>`.
 */
export interface ChatHandshake {
  /** The client's `auth` option (`{ token }` or `{ name, guestKey }`). */
  auth: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** Remote address of the connection. */
  address: string;
}

/** Turns a handshake into a user, or throws (a `ChatError`, or anything: then `UNAUTHENTICATED`). */
export type Authenticate = (handshake: ChatHandshake) => ChatUser | Promise<ChatUser>;

/** Reads a bearer token from `auth.token` or the `Authorization` header. */
export function tokenFrom(handshake: ChatHandshake): string | undefined {
  const token = handshake.auth['token'];
  if (typeof token === 'string' && token.length > 0) return token;
  const header = handshake.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/iu.exec(header) : null;
  return match?.[1];
}
