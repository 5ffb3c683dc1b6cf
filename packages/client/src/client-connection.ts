// The client's connection state: connects, reconnects after a kick or a rate limit, and refusals at sign-in.
import { ChatError, isChatErrorData, type ChatErrorData } from '@chat/protocol';
import { ConnectionState } from './client-events.js';
import type { ChatSocket } from './core/transport.js';

const SERVER_KICK_RETRY_MS = 1000;

/** What {@link ClientConnection} needs of its client. */
export interface ConnectionHost {
  /** The socket connected; `resync`: again, after a connection was lost. Called after the state is `connected`. */
  _connected(resync: boolean): void;
  /** The connection went (by `close` too); called before the state changes. */
  _lost(): void;
  /** The credentials the last handshake was sent with were replaced since (`setAuth`). */
  _credentialsReplaced(): boolean;
  /** Asks the app for a fresh token and keeps it; undefined when the client has no `refreshToken`. */
  readonly _freshToken: (() => Promise<string>) | undefined;
  _stateChanged(state: ConnectionState): void;
  _error(error: ChatError): void;
}

/**
 * The state of a client's connection. socket.io reconnects by itself after a lost connection;
 * this also reconnects after a server-side disconnect (a restart, a kick) and a rate limit, tries
 * once more with a fresh token after an expired one, and stops at a refusal.
 */
export class ClientConnection {
  /** The connection state now. */
  _state: ConnectionState = ConnectionState.CONNECTING;
  /** Why the server refused the client at sign-in, while it stays refused. */
  _refused: ChatError | undefined;
  #everConnected = false;
  #kickTimer: ReturnType<typeof setTimeout> | undefined;
  /** A refused reconnect was answered with a fresh token already (no second try until connected). */
  #refreshedAfterRefusal = false;
  readonly #socket: ChatSocket;
  readonly #host: ConnectionHost;

  constructor(socket: ChatSocket, host: ConnectionHost) {
    this.#socket = socket;
    this.#host = host;
  }

  /** Listens to the socket's connection events. */
  _listen(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      this.#refreshedAfterRefusal = false;
      const resync = this.#everConnected;
      this.#everConnected = true;
      this.#setState(ConnectionState.CONNECTED);
      this.#host._connected(resync);
    });
    socket.on('disconnect', (reason) => {
      this.#host._lost();
      if (reason === 'io client disconnect') {
        this.#setState(ConnectionState.DISCONNECTED);
        return;
      }
      this.#setState(ConnectionState.RECONNECTING);
      // socket.io does not reconnect after a server-side disconnect (a restart, a kick); we do,
      // and a kicked user is refused at the handshake.
      if (reason === 'io server disconnect') {
        this.#kickTimer = setTimeout(() => socket.connect(), SERVER_KICK_RETRY_MS);
      }
    });
    socket.on('connect_error', (error: Error & { data?: unknown }) => {
      // Credentials refused that setAuth has replaced while the handshake was under way: try the new ones.
      if (isChatErrorData(error.data) && this.#host._credentialsReplaced()) return void socket.connect();
      const freshToken = this.#host._freshToken;
      if (isChatErrorData(error.data) && error.data.code === 'UNAUTHENTICATED' && freshToken && !this.#refreshedAfterRefusal) {
        // An expired token on reconnect: ask the app for a fresh one and try once more.
        this.#refreshedAfterRefusal = true;
        freshToken().then(
          () => socket.connect(),
          (refreshError: unknown) => this.#refusedWith(ChatError.fromData(error.data as ChatErrorData), refreshError),
        );
        return;
      }
      if (isChatErrorData(error.data) && error.data.code === 'RATE_LIMITED') {
        // Too many connections or handshakes for now: not a refusal, come back when told.
        this.#host._error(ChatError.fromData(error.data));
        if (this._state !== ConnectionState.CONNECTING) this.#setState(ConnectionState.RECONNECTING);
        clearTimeout(this.#kickTimer);
        this.#kickTimer = setTimeout(() => socket.connect(), error.data.retryAfter ?? SERVER_KICK_RETRY_MS);
        return;
      }
      if (isChatErrorData(error.data)) {
        this._refused = ChatError.fromData(error.data);
        this.#setState(ConnectionState.DISCONNECTED);
        this.#host._error(this._refused);
        return;
      }
      if (this._state !== ConnectionState.CONNECTING) this.#setState(ConnectionState.RECONNECTING);
    });
  }

  /** New credentials for a client refused at sign-in: it connects again with them. */
  _retryRefused(): void {
    if (this._state !== ConnectionState.DISCONNECTED || !this._refused) return;
    this._refused = undefined;
    this.#setState(ConnectionState.CONNECTING);
    this.#socket.connect();
  }

  /** Disconnects for good: a pending reconnect is cancelled. */
  _close(): void {
    clearTimeout(this.#kickTimer);
    this.#socket.disconnect();
    this.#setState(ConnectionState.DISCONNECTED);
  }

  #refusedWith(refusal: ChatError, cause: unknown): void {
    this._refused = cause instanceof ChatError ? cause : refusal;
    this.#setState(ConnectionState.DISCONNECTED);
    this.#host._error(this._refused);
  }

  #setState(state: ConnectionState): void {
    if (state === this._state) return;
    this._state = state;
    this.#host._stateChanged(state);
  }
}
