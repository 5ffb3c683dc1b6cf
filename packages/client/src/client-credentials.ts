// Who the client signs in as: the credentials for the next handshake, the guest key, fresh tokens from `refreshToken`.
import { builtInError } from '@chat/protocol';
import type { ChatAuth } from './core/auth.js';
import { uuid } from './core/uuid.js';

/** A client's credentials, and the fresh tokens its app gives it. */
export class ClientCredentials {
  /** The credentials now; set as they are where the server took them on this connection (the same user). */
  _current: ChatAuth | undefined;
  /** The credentials the last handshake was sent with (setAuth may have replaced them since). */
  #tried: ChatAuth | undefined;
  readonly #refreshToken: (() => string | Promise<string>) | undefined;
  /** Whether the app gives fresh tokens (`refreshToken`). */
  readonly _refreshable: boolean;
  readonly #changed: () => void;

  /** `changed` is called when credentials are set that the server has not taken yet. */
  constructor(auth: ChatAuth | undefined, refreshToken: (() => string | Promise<string>) | undefined, changed: () => void) {
    // A guest keeps one secret key for the life of the client, so a reconnect is the same user.
    this._current = auth && 'name' in auth ? { ...auth, guestKey: auth.guestKey ?? uuid().replace(/-/gu, '') } : auth;
    this.#refreshToken = refreshToken;
    this._refreshable = refreshToken !== undefined;
    this.#changed = changed;
  }

  /** The guest key sent with a guest name. */
  get _guestKey(): string | undefined {
    return this._current && 'guestKey' in this._current ? this._current.guestKey : undefined;
  }

  /** The credentials a handshake starting now is sent with. */
  _forHandshake(): ChatAuth | undefined {
    this.#tried = this._current;
    return this._current;
  }

  /** Whether the credentials were replaced since the last handshake was sent. */
  _replacedSinceHandshake(): boolean {
    return this.#tried !== this._current;
  }

  // Not checked against the user signed in now: what the rooms' outboxes hold so far must not go
  // out as someone else, so they are told (`changed`).
  /** Keeps credentials for the next handshake and request. */
  _set(auth: ChatAuth): void {
    this._current = auth;
    this.#changed();
  }

  /** Asks the app for a token (`refreshToken`). */
  async _ask(): Promise<string> {
    const token = await (this.#refreshToken as () => string | Promise<string>)();
    if (typeof token !== 'string' || token === '') throw builtInError('UNAUTHENTICATED', 'refreshToken() gave no token.');
    return token;
  }

  /** Asks the app for a token and keeps it for the next request and reconnect. */
  async _fresh(): Promise<string> {
    const token = await this._ask();
    this._set({ token });
    return token;
  }
}
