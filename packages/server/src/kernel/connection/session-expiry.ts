import { builtInError, ChatError, type ClientToServerEvents, type ServerToClientEvents } from '@chat/protocol';
import type { Socket } from 'socket.io';

/** setTimeout fires at once past this delay (2^31 - 1 ms, about 24.8 days): wait in steps. */
const MAX_DELAY_MS = 2_147_483_647;
/** The warning goes out this long before expiry (or halfway, for shorter sessions). */
const WARN_BEFORE_MS = 60_000;

/**
 * The end of a connection's credentials (`ChatUser.expiresAt`): warns the client with
 * `auth:expiring` so that it can refresh its token, then signs the socket out at expiry
 * (`chat:error` UNAUTHENTICATED, then a disconnect). A request that comes after the expiry while
 * the timer is late (a busy server) signs the socket out then, unanswered: it meets what it would
 * have met a moment later, a connection gone, which a client takes as "not done, send it again
 * once signed in" (a message in its outbox), not as a refusal of the request itself.
 */
export class SessionExpiry {
  #expiresAt: number | undefined;
  #warn: ReturnType<typeof setTimeout> | undefined;
  #expire: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly socket: Socket<ClientToServerEvents, ServerToClientEvents>) {}

  /** (Re)starts the timers for a new expiry; `undefined` means the credentials do not expire. */
  arm(expiresAt: string | undefined): void {
    this.disarm();
    if (expiresAt === undefined) return;
    const at = Date.parse(expiresAt);
    if (Number.isNaN(at)) return;
    this.#expiresAt = at;
    const left = at - Date.now();
    const warnIn = left - Math.min(WARN_BEFORE_MS, left / 2);
    this.#warn =
      warnIn <= MAX_DELAY_MS
        ? setTimeout(() => this.socket.emit('auth:expiring', { expiresAt: new Date(at).toISOString() }), Math.max(0, warnIn))
        : // Too far for one timer: come back in 24 days and arm again.
          setTimeout(() => this.arm(expiresAt), MAX_DELAY_MS);
    this.#warn.unref?.();
    this.#schedule(at);
  }

  /** Signs the socket out if the credentials have expired (the timer is late): true then, and the request goes unanswered. */
  signedOut(): boolean {
    if (this.#expiresAt === undefined || Date.now() < this.#expiresAt) return false;
    this.#signOut();
    return true;
  }

  disarm(): void {
    clearTimeout(this.#warn);
    clearTimeout(this.#expire);
    this.#expiresAt = undefined;
  }

  #schedule(at: number): void {
    const left = at - Date.now();
    this.#expire = setTimeout(
      () => {
        if (Date.now() < at) return this.#schedule(at);
        this.#signOut();
      },
      Math.min(Math.max(0, left), MAX_DELAY_MS),
    );
    this.#expire.unref?.();
  }

  #signOut(): void {
    this.disarm();
    this.socket.emit('chat:error', { event: 'auth', error: expired().toJSON() });
    this.socket.disconnect(true);
  }
}

function expired(): ChatError {
  return builtInError('UNAUTHENTICATED', 'Your sign-in has expired. Please sign in again.');
}
