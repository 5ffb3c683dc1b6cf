import { builtInError, ChatError } from '@chat/protocol';
import type { IncomingHttpHeaders } from 'node:http';

/** Throws `FORBIDDEN` when a request's Origin header is not allowed; returns when it is. */
export type OriginCheck = (origin: string | undefined) => void;

/**
 * `scheme://host[:port]`, lowercased, default port dropped; undefined when `value` is not an
 * origin (`null`, a path, credentials, garbage).
 */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.host === '' || url.username !== '' || url.password !== '') return undefined;
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') return undefined;
  // URL drops the default port of http(s) and lowercases their host; other schemes
  // (capacitor://localhost, chrome-extension://id) keep what was written, so lowercase here.
  return `${url.protocol}//${url.host}`.toLowerCase();
}

/**
 * The check for `allowedOrigins`. Without a list every request passes. With one, a request
 * without an Origin header passes (browsers always send one on WebSocket handshakes and
 * cross-origin requests, so its absence means a non-browser client, which could send any
 * Origin anyway); any other Origin, `null` included, must be on the list.
 */
export function createOriginCheck(allowedOrigins: readonly string[] | undefined): OriginCheck {
  if (allowedOrigins === undefined) return () => undefined;
  const allowed = new Set<string>();
  for (const entry of allowedOrigins) {
    const origin = typeof entry === 'string' ? normalizeOrigin(entry) : undefined;
    if (origin === undefined) {
      throw new TypeError(
        `allowedOrigins: ${JSON.stringify(entry)} is not an origin; write scheme://host[:port], e.g. "https://app.example". ` +
          'Leave allowedOrigins unset to allow every origin.',
      );
    }
    allowed.add(origin);
  }
  return (origin) => {
    if (origin === undefined) return;
    const normalized = normalizeOrigin(origin);
    if (normalized !== undefined && allowed.has(normalized)) return;
    if (origin.trim() === 'null') {
      throw builtInError('FORBIDDEN', 'Pages without an origin of their own (sandboxed frames, file:// pages) may not use this chat.');
    }
    if (normalized === undefined) {
      throw builtInError(
        'FORBIDDEN',
        `The Origin header ${JSON.stringify(origin.slice(0, 200))} is not an origin, so this chat refuses the request.`,
      );
    }
    throw builtInError('FORBIDDEN', `Pages on ${normalized} may not use this chat: that origin is not in its allowedOrigins.`);
  };
}

/**
 * Socket.IO namespace middleware refusing foreign Origins with a `connect_error` whose `data`
 * is the `FORBIDDEN` error. It runs on the handshake of every transport (polling, WebSocket,
 * WebTransport), also on a Socket.IO server the host passed in. `bypass()` true lets all through.
 */
export function originMiddleware(check: OriginCheck, bypass: () => boolean) {
  return (socket: { handshake: { headers: IncomingHttpHeaders } }, next: (error?: Error) => void): void => {
    if (bypass()) return next();
    try {
      check(socket.handshake.headers.origin);
      next();
    } catch (error) {
      const chatError = error as ChatError;
      next(Object.assign(new Error(chatError.message), { data: chatError.toJSON() }));
    }
  };
}
