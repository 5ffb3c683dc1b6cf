import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { ChatClient, ChatError, ConnectionState, ErrorCode, type ChatRoom } from '@chat/client';
import { indexedDbE2eeStore, indexedDbOutbox } from '@chat/client/indexeddb';
import { ChatErrorEvent } from '../events.js';
import { errorText } from '../i18n/error-text.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderNamePrompt } from '../parts/name-prompt.js';
import { readSession, writeSession } from './guest-session.js';

/** Connection tries that fail before the widget looks for why (a page on another origin). */
const FAILURES = 2;
/** Said in the console when the check itself cannot be fetched from the chat server. */
const UNREACHED =
  'The chat cannot connect, and chat-room.origin-probe.js could not be fetched from the chat server either: the server is unreachable, or it refuses this page’s origin (its cors, allowedOrigins and widgetHandler origins settings).';

/** Gives the widget a fresh sign-in token (see `refreshToken`). */
export type TokenRefresher = () => string | Promise<string>;

/** The element's settings the connection follows. */
export interface ConnectionSettings {
  server: string | undefined;
  path: string | undefined;
  /** Guest name; the name prompt sets it. */
  name: string | undefined;
  token: string | undefined;
  client: ChatClient | undefined;
  refreshToken: TokenRefresher | undefined;
  /** Uploads are on: `''` for the SDK's default route, or the route's URL (read when the client is made). */
  uploads: string | undefined;
}

/** The element that owns the connection: its settings, and what Lit gives a controller. */
export interface ConnectionHost extends ReactiveControllerHost, ConnectionSettings {
  readonly renderRoot: ParentNode;
  readonly shadowRoot: ShadowRoot | null;
  /** In a document: a widget taken out of the page never connects. */
  readonly isConnected: boolean;
  dispatchEvent(event: Event): boolean;
}

/** What the connection asks of the room view. */
export interface ConnectionView {
  /** Joins the room with the current client (with none, only leaves the one shown). */
  join(): void;
  /** Stops showing the room, and returns it so that a page's client can leave it. */
  _dropRoom(): ChatRoom | undefined;
  /** Fires `chat-error` once per error, and shows it in the banner unless `line` is false. */
  fail(error: ChatError, line?: boolean): void;
  /** Takes the error line away. */
  _clearError(): void;
  /** The composer is about to be switched off. */
  _composerOff(): void;
  strings(): ChatStrings;
}

/** What the view shows of the connection. */
interface ConnectionStatus {
  state: ConnectionState | 'idle';
  /** Why the server refused the guest's name; the name prompt shows it. */
  nameError: ChatError | undefined;
  /** The server signed the user out (expired sign-in) and no fresh token came yet. */
  signedOut: boolean;
}

/**
 * The widget's connection and guest session: makes the ChatClient (or uses the page's), hands
 * it a renewed `token`, notices an expired sign-in, and brings a guest back to the name prompt
 * when the server refuses the name.
 */
export class ConnectionController implements ReactiveController {
  readonly #host: ConnectionHost;
  readonly #view: ConnectionView;
  #status: ConnectionStatus = { state: 'idle', nameError: undefined, signedOut: false };
  #client: ChatClient | undefined;
  #ownsClient = false;
  #clientOffs: Array<() => void> = [];
  #needsConnect = true;
  /** The guest typed the name in the prompt (so a refusal brings focus back to the field). */
  #nameFromPrompt = false;
  #focusName = false;
  /** A name was given in the prompt, and its join has not ended yet. */
  #answeredPrompt = false;
  /** That join was taken: the composer gets the focus the prompt had, unless the visitor moved it. */
  #focusComposer = false;
  /** The token the widget's own client signs in with now (undefined for a guest or the page's client). */
  #clientToken: string | undefined;
  /** The widget's own client was made with a refreshToken. */
  #clientRefreshes = false;
  /** The client was connected once: an UNAUTHENTICATED from then on is an expired sign-in, not a refused one. */
  #wasConnected = false;

  constructor(host: ConnectionHost, view: ConnectionView) {
    this.#host = host;
    this.#view = view;
    host.addController(this);
  }

  /** The client in use; none while the widget asks for a name. */
  get client(): ChatClient | undefined {
    return this.#client;
  }

  /** The client's connection state (`idle` before there is one). */
  get state(): ConnectionState | 'idle' {
    return this.#status.state;
  }

  /** Why the server refused the guest's name, if it did. */
  get nameError(): ChatError | undefined {
    return this.#status.nameError;
  }

  /** The sign-in expired and no fresh token came yet. */
  get signedOut(): boolean {
    return this.#status.signedOut;
  }

  hostConnected(): void {
    if (this.#needsConnect) this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#teardown();
    this.#needsConnect = true;
  }

  hostUpdated(): void {
    const composer = this.#focusComposer ? this.#host.renderRoot.querySelector<HTMLElement>('#input') : null;
    if (composer) {
      this.#focusComposer = false;
      // Where the prompt left it (the page's body once the prompt went, or still in the widget), not
      // where the visitor put it while the join took its time.
      if ([null, document.body, this.#host.shadowRoot?.host].includes(document.activeElement)) composer.focus();
    }
    if (!this.#focusName) return;
    this.#focusName = false;
    this.#host.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
  }

  /**
   * Follows the host's settings before a render: connects again when they changed, or hands a
   * new token to the live connection. True when it connected (the view has joined the room then).
   */
  sync(changed: { has(key: keyof ConnectionSettings): boolean }): boolean {
    // Taken out of the page: its teardown changed properties, and the update that follows must
    // not connect again (it connects when put back).
    if (!this.#host.isConnected) return false;
    if (
      this.#needsConnect ||
      changed.has('server') ||
      changed.has('path') ||
      changed.has('name') ||
      changed.has('client') ||
      (changed.has('token') && !this.#renewToken()) ||
      // Signed out, and now the page gives a way to get a token: sign in again with it.
      (changed.has('refreshToken') && this.signedOut && this.#host.refreshToken !== undefined && this.#ownsClient)
    ) {
      this.#needsConnect = false;
      this.#connect();
      return true;
    }
    return false;
  }

  /** The prompt for a guest's name (in `lang`), with the server's reason when it refused the last one. */
  prompt(strings: ChatStrings, { ui, dir }: { ui: string; dir: string }): TemplateResult {
    const onName = (name: string) => this._chooseName(name);
    return renderNamePrompt({
      strings,
      lang: ui,
      dir,
      name: this.#host.name,
      error: this.nameError && errorText(strings, this.nameError, 'name'),
      onName,
    });
  }

  /** The guest chose a name in the prompt. */
  _chooseName(name: string): void {
    this.#nameFromPrompt = true;
    this.#answeredPrompt = true;
    if (name === this.#host.name) this.#needsConnect = true; // the same name again: try it again
    this.#host.name = name;
    this.#host.requestUpdate();
  }

  /** The view joined a room: the guest's name, if any, was taken (and is kept for a reload of the tab). */
  joined(): void {
    if (this.#nameFromPrompt && this.#host.name) writeSession(guestNameKey(this.#host), this.#host.name);
    this.#focusComposer = this.#answeredPrompt;
    this.#answeredPrompt = false;
    this.#nameFromPrompt = false;
  }

  /** A join failed: true when the server refused the guest's name, and the widget asks for another. */
  _handleNameRefusal(error: ChatError): boolean {
    this.#answeredPrompt = false; // that join ended: a later one (another room) takes no focus
    if (!this.#refusesName(error)) return false;
    this.#askForName(error);
    return true;
  }

  #connect(): void {
    this.#teardown();
    const client = this.#host.client ?? this.#createClient();
    if (!client) return;
    this.#client = client;
    this.#ownsClient = client !== this.#host.client;
    this.#show('state', client.state);
    this.#view._clearError();
    this.#show('nameError', undefined);
    this.#show('signedOut', false);
    this.#wasConnected = client.state === ConnectionState.CONNECTED;
    this.#clientOffs.push(
      client.on('state', (state) => {
        this.#show('state', state);
        if (state !== ConnectionState.CONNECTED) return;
        this.#wasConnected = true;
        this.#view._clearError();
        this.#show('signedOut', false);
      }),
      client.on('error', (error) => this.#clientError(error)),
      this.#watchReach(client),
    );
    this.#view.join();
  }

  /**
   * A page on another origin than the server's, which the server does not allow (no `cors`),
   * never connects, and only the browser's console says why: after {@link FAILURES} tries that
   * failed before any connection, the widget looks for why (`#probe`: a page that connects never
   * fetches it).
   */
  #watchReach(client: ChatClient): () => void {
    let failures = 0;
    const onError = (error: Error & { data?: unknown }) => {
      if (error.data === undefined && client.state === ConnectionState.CONNECTING && ++failures === FAILURES) {
        // A chunk, fetched only then. It comes from the chat server like the socket: where it cannot
        // be fetched either, the page's origin is likely refused there too (or the server is away).
        import('./origin-probe.js').then(
          (probe) => probe.probeOrigin(client, this.#host.path, () => this.#client, this.#view),
          () => console.warn(UNREACHED),
        );
      }
    };
    client.socket.on('connect_error', onError);
    return () => client.socket.off('connect_error', onError);
  }

  #createClient(): ChatClient | undefined {
    const host = this.#host;
    // A guest who chose a name in this tab is not asked again after a reload: same key, same name.
    if (!host.token && !host.name) {
      const chosen = readSession(guestNameKey(host));
      if (!chosen) return undefined;
      host.name = chosen;
    }
    const url = host.server || location.origin;
    const keyName = `chat-room:guest:${url}`;
    const auth = host.token ? { token: host.token } : { name: host.name as string, guestKey: readSession(keyName) };
    this.#clientToken = host.token || undefined;
    this.#clientRefreshes = Boolean(host.refreshToken);
    // Asks the page's function as it is at the time, and remembers the token the client now has.
    const refreshToken = async (): Promise<string> => {
      if (!host.refreshToken) throw new ChatError(ErrorCode.UNAUTHENTICATED, 'The page took its refreshToken away.');
      const token = await host.refreshToken();
      this.#clientToken = token;
      return token;
    };
    const client = new ChatClient({
      url,
      auth,
      ...(host.path && { path: host.path }),
      // The uploads route, when the attribute gives one (read as the client is made).
      ...(host.uploads && { uploadUrl: host.uploads }),
      ...(this.#clientRefreshes && { refreshToken }),
      // What the user sent offline survives a reload, and goes out once when back (per user).
      outbox: indexedDbOutbox(),
      // A device of encrypted rooms, kept in IndexedDB (a reload keeps reading); the MLS code
      // (chat-room.e2ee.js) is loaded only when an encrypted room is joined.
      e2ee: { store: indexedDbE2eeStore() },
    });
    if (client.guestKey) writeSession(keyName, client.guestKey);
    return client;
  }

  #teardown(): void {
    const room = this.#view._dropRoom();
    for (const off of this.#clientOffs.splice(0)) off();
    if (this.#ownsClient) this.#client?.close();
    else if (room) void room.leave().catch(() => undefined);
    this.#client = undefined;
    this.#ownsClient = false;
  }

  #clientError(error: ChatError): void {
    if (this.#refusesName(error)) return this.#askForName(error);
    // Signed out after being signed in: the sign-in expired and no fresh token came (yet).
    if (error.code === ErrorCode.UNAUTHENTICATED && this.#wasConnected) {
      if (this.#host.refreshToken && this.#ownsClient && !this.#clientRefreshes) {
        // The page gave refreshToken after the client was made: the connection is lost anyway,
        // so start again with a client that asks it (the SDK refreshes a refused sign-in).
        this.#needsConnect = true;
        this.#host.requestUpdate();
        return;
      }
      this.#view._composerOff();
      this.#show('signedOut', true);
      this.#view.fail(error, false); // the banner says "signed out" instead
      return;
    }
    this.#view.fail(error);
  }

  /**
   * A new `token` for the widget's own signed-in client: handed to the connection
   * (`setAuth`: a live one stays up, a signed-out one connects again). False when the widget
   * must reconnect instead (no client yet, a guest, the page's client, the token removed).
   */
  #renewToken(): boolean {
    const client = this.#client;
    const token = this.#host.token;
    if (!client || !this.#ownsClient || !this.#clientToken || !token) return false;
    if (token === this.#clientToken) return true;
    this.#clientToken = token;
    // A refused token does not sign a live connection out: it keeps the one it has, so this is a plain error.
    client.setAuth({ token }).then(
      () => this.#show('signedOut', false),
      (error: ChatError) => this.#view.fail(error),
    );
    return true;
  }

  /**
   * The server refused the guest name the widget connected with: taken in the room (at a join
   * or a re-join), or refused at the handshake (`UNAUTHENTICATED`, `VALIDATION_FAILED`: empty,
   * too long, characters not allowed). Only for the widget's own guest client: a token or a
   * client the page gave cannot be fixed by typing another name.
   */
  #refusesName(error: ChatError): boolean {
    if (!this.#ownsClient || this.#host.token) return false;
    if (error.code === ErrorCode.NAME_TAKEN) return true;
    const refused = this.#client?.state === ConnectionState.DISCONNECTED; // the handshake failed, not a request
    return refused && (error.code === ErrorCode.UNAUTHENTICATED || error.code === ErrorCode.VALIDATION_FAILED);
  }

  /** Back to the name prompt, with the reason (the server's words, or the language's) and the refused name in the field. */
  #askForName(error: ChatError): void {
    this.#focusName = this.#nameFromPrompt || Boolean(this.#host.shadowRoot?.activeElement);
    this.#teardown();
    this.#show('nameError', error);
    this.#host.dispatchEvent(new ChatErrorEvent({ error }));
  }

  /** Redraws the host only on a change, as a Lit reactive property would. */
  #show<K extends keyof ConnectionStatus>(key: K, value: ConnectionStatus[K]): void {
    if (Object.is(this.#status[key], value)) return;
    this.#status[key] = value;
    this.#host.requestUpdate();
  }
}

// Where a tab keeps the name its guest chose in the prompt, per server.
function guestNameKey(host: { server?: string | undefined }): string {
  return `chat-room:guest-name:${host.server || location.origin}`;
}
