// Who the client signs in as: the credentials for the next handshake, the guest key, fresh tokens from `refreshToken`.
import { builtInError } from '@chat/protocol';
import type { ChatAuth } from './core/auth.js';
import { uuid } from './core/uuid.js';

/** A client's credentials, and the fresh tokens its app gives it. */
export class ClientCredentials {
  #auth: ChatAuth | undefined;
  /** The credentials the last handshake was sent with (setAuth may have replaced them since). */
  #tried: ChatAuth | undefined;
  readonly #refreshToken: (() => string | Promise<string>) | undefined;
  readonly #changed: () => void;

  /** `changed` is called when credentials are set that the server has not taken yet. */
  constructor(auth: ChatAuth | undefined, refreshToken: (() => string | Promise<string>) | undefined, changed: () => void) {
    // A guest keeps one secret key for the life of the client, so a reconnect is the same user.
    this.#auth = auth && 'name' in auth ? { ...auth, guestKey: auth.guestKey ?? uuid().replace(/-/gu, '') } : auth;
    this.#refreshToken = refreshToken;
    this.#changed = changed;
  }

  /** The credentials now. */
  get current(): ChatAuth | undefined {
    return this.#auth;
  }

  /** The guest key sent with a guest name. */
  get guestKey(): string | undefined {
    return this.#auth && 'guestKey' in this.#auth ? this.#auth.guestKey : undefined;
  }

  /** Whether the app gives fresh tokens (`refreshToken`). */
  get refreshable(): boolean {
    return this.#refreshToken !== undefined;
  }

  /** The credentials a handshake starting now is sent with. */
  forHandshake(): ChatAuth | undefined {
    this.#tried = this.#auth;
    return this.#auth;
  }

  /** Whether the credentials were replaced since the last handshake was sent. */
  replacedSinceHandshake(): boolean {
    return this.#tried !== this.#auth;
  }

  /** Keeps credentials the server took on this connection (the same user: it refuses another's). */
  accept(auth: ChatAuth): void {
    this.#auth = auth;
  }

  // Not checked against the user signed in now: what the rooms' outboxes hold so far must not go
  // out as someone else, so they are told (`changed`).
  /** Keeps credentials for the next handshake and request. */
  set(auth: ChatAuth): void {
    this.#auth = auth;
    this.#changed();
  }

  /** Asks the app for a token (`refreshToken`). */
  async ask(): Promise<string> {
    const token = await (this.#refreshToken as () => string | Promise<string>)();
    if (typeof token !== 'string' || token === '') throw builtInError('UNAUTHENTICATED', 'refreshToken() gave no token.');
    return token;
  }

  /** Asks the app for a token and keeps it for the next request and reconnect. */
  async fresh(): Promise<string> {
    const token = await this.ask();
    this.set({ token });
    return token;
  }
}
