import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ChatClient, ChatError, ConnectionState, ErrorCode, type ChatRoom, type ChatRoomEvents, type UserRef } from '@chat/client';
import { ChatErrorEvent, ChatJoinEvent, ChatMessageEvent, ChatUnreadEvent } from '../events.js';
import { resolveStrings } from '../i18n/locales.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderBanner } from '../parts/banner.js';
import { renderComposer } from '../parts/composer.js';
import { renderMemberList } from '../parts/member-list.js';
import { renderMessageList, type Notice } from '../parts/message-list.js';
import { renderNamePrompt } from '../parts/name-prompt.js';
import { chatRoomStyles } from './chat-room.styles.js';
import { readSession, writeSession } from './guest-session.js';

/** Themes of the widget; `auto` follows `prefers-color-scheme`. */
export type ChatTheme = 'light' | 'dark' | 'auto';

/** Gives the widget a fresh sign-in token (see `refreshToken`). */
export type TokenRefresher = () => string | Promise<string>;

/** What `room.on('discontinuity')` reports. */
type Discontinuity = Parameters<ChatRoomEvents['discontinuity']>[0];

const RENDER_STEP = 150;
const MAX_NOTICES = 50;
const NEAR_EDGE_PX = 40;

/**
 * Chat and presence for one room, in any page.
 *
 * @tag chat-room
 * @summary A chat room: message list, composer, people here, typing, unread count.
 *
 * @attr server - URL of the chat server (default: the page's origin).
 * @attr path - Socket.IO path, when the server sets one (default `/socket.io`).
 * @attr room - Id of the room to join; change it to switch rooms.
 * @attr name - Guest display name. Without `name` or `token`, the widget asks for a name; it asks again, with the
 *   server's reason, when the server refuses the name (taken in the room, or not allowed).
 * @attr token - Sign-in token (JWT) for servers that use `jwtAuthenticate`. Setting a new one on a live widget
 *   hands it to the connection (`client.setAuth`) without reconnecting; after an expired sign-in it connects again.
 * @attr lang - Language (`en`, `es`, ...); defaults to the page's language.
 * @attr theme - `light`, `dark` or `auto` (follows the system). Default `auto`.
 * @attr heading - Title shown in the header (default: the room's title or id).
 *
 * @prop {ChatClient | undefined} client - A ChatClient the page already has; the widget then uses it and never closes it.
 * @prop {Partial<ChatStrings>} strings - The host's own texts, on top of the language's.
 * @prop {TokenRefresher | undefined} refreshToken - Gives a fresh token before the current one expires (and when a
 *   reconnect is refused as expired), so the chat stays signed in; passed to the widget's ChatClient.
 *
 * @fires chat-message - A new message: `detail.message`, `detail.own`.
 * @fires chat-join - The room was joined: `detail.roomId`, `detail.members`.
 * @fires chat-error - Something failed: `detail.error` (a ChatError with `code` and `message`); also `FORBIDDEN`
 *   when the server takes the user out of the room, and `UNAUTHENTICATED` when the sign-in expires.
 * @fires chat-unread - The unread count changed: `detail.count`.
 *
 * @csspart header - The top bar with the title and the people toggle.
 * @csspart log - The scrolling message list (`role="log"`).
 * @csspart message-group - Consecutive messages of one sender.
 * @csspart message - One message.
 * @csspart avatar - An avatar image or initials.
 * @csspart notice - A quiet line such as "Ana joined", or a break where messages are missing (class `break`).
 * @csspart reply - The line above a reply that quotes what it answers.
 * @csspart members - The list of people here.
 * @csspart typing - The "... is typing" line.
 * @csspart composer - The form with the text box and send button.
 * @csspart input - The text box.
 * @csspart send-button - The send button.
 * @csspart banner - The offline / ended / removed / signed-out / error line.
 * @csspart name-error - Why the server refused the name a guest chose (under the name field).
 *
 * @cssprop --chat-bg - Background.
 * @cssprop --chat-fg - Text colour.
 * @cssprop --chat-muted - Secondary text (times, notices).
 * @cssprop --chat-border - Borders.
 * @cssprop --chat-surface - Header, member list and banner background.
 * @cssprop --chat-own - Background of your own messages.
 * @cssprop --chat-accent - Links and the send button.
 * @cssprop --chat-accent-fg - Text on the accent colour.
 * @cssprop --chat-danger - Errors.
 * @cssprop --chat-focus - Focus ring.
 * @cssprop --chat-font - Font family.
 * @cssprop --chat-radius - Corner radius of the frame.
 */
export class ChatRoomElement extends LitElement {
  static override styles = chatRoomStyles;
  static override properties = {
    server: { type: String },
    path: { type: String },
    room: { type: String, reflect: true },
    name: { type: String },
    token: { type: String },
    locale: { type: String, attribute: 'lang' },
    theme: { type: String, reflect: true },
    heading: { type: String },
    client: { attribute: false },
    strings: { attribute: false },
    refreshToken: { attribute: false },
    _connection: { state: true },
    _typing: { state: true },
    _error: { state: true },
    _nameError: { state: true },
    _ended: { state: true },
    _removed: { state: true },
    _signedOut: { state: true },
    _showMembers: { state: true },
    _newBelow: { state: true },
    _unread: { state: true },
    _loadingOlder: { state: true },
    _renderLimit: { state: true },
  };

  declare server: string | undefined;
  declare path: string | undefined;
  declare room: string | undefined;
  declare name: string | undefined;
  declare token: string | undefined;
  declare locale: string | undefined;
  declare theme: ChatTheme;
  declare heading: string | undefined;
  declare client: ChatClient | undefined;
  declare strings: Partial<ChatStrings>;
  declare refreshToken: TokenRefresher | undefined;
  declare _connection: ConnectionState | 'idle';
  declare _typing: UserRef[];
  declare _error: string | undefined;
  /** Why the server refused the guest's name; the name prompt shows it. */
  declare _nameError: string | undefined;
  declare _ended: boolean;
  /** The server took the user out of the room. */
  declare _removed: boolean;
  /** The server signed the user out (expired sign-in) and no fresh token came yet. */
  declare _signedOut: boolean;
  declare _showMembers: boolean;
  declare _newBelow: number;
  declare _unread: number;
  declare _loadingOlder: boolean;
  declare _renderLimit: number;

  #client: ChatClient | undefined;
  #ownsClient = false;
  #chatRoom: ChatRoom | undefined;
  #clientOffs: Array<() => void> = [];
  #roomOffs: Array<() => void> = [];
  #joinAttempt = 0;
  #notices: Notice[] = [];
  #noticeId = 0;
  #atBottom = true;
  #scrollAnchor: { height: number; top: number } | undefined;
  #stickToBottom = false;
  #timeFormat: { lang: string; format: Intl.DateTimeFormat } | undefined;
  #needsConnect = true;
  /** The guest typed the name in the prompt (so a refusal brings focus back to the field). */
  #nameFromPrompt = false;
  #focusName = false;
  /** The composer had focus when it was switched off: keep keyboard users in the widget, on the log. */
  #focusLog = false;
  #lastError: ChatError | undefined;
  /** The token the widget's own client signs in with now (undefined for a guest or the page's client). */
  #clientToken: string | undefined;
  /** The widget's own client was made with a refreshToken. */
  #clientRefreshes = false;
  /** The client was connected once: an UNAUTHENTICATED from then on is an expired sign-in, not a refused one. */
  #wasConnected = false;

  constructor() {
    super();
    this.theme = 'auto';
    this.strings = {};
    this._connection = 'idle';
    this._typing = [];
    this._error = undefined;
    this._nameError = undefined;
    this._ended = false;
    this._removed = false;
    this._signedOut = false;
    this._showMembers = false;
    this._newBelow = 0;
    this._unread = 0;
    this._loadingOlder = false;
    this._renderLimit = RENDER_STEP;
  }

  /** The room the widget shows now (from `@chat/client`), once joined. */
  get chatRoom(): ChatRoom | undefined {
    return this.#chatRoom;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    if (this.#needsConnect) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#teardown();
    this.#needsConnect = true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      this.#needsConnect ||
      changed.has('server') ||
      changed.has('path') ||
      changed.has('name') ||
      changed.has('client') ||
      (changed.has('token') && !this.#renewToken()) ||
      // Signed out, and now the page gives a way to get a token: sign in again with it.
      (changed.has('refreshToken') && this._signedOut && this.refreshToken !== undefined && this.#ownsClient)
    ) {
      this.#needsConnect = false;
      this.#connect();
    } else if (changed.has('room')) {
      this.#switchRoom();
    }
    const log = this.#log();
    if (log && !this.#stickToBottom && !this.#atBottom) this.#scrollAnchor ??= { height: log.scrollHeight, top: log.scrollTop };
  }

  protected override updated(): void {
    if (this.#focusName) {
      this.#focusName = false;
      this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
    }
    if (this.#focusLog) {
      this.#focusLog = false;
      this.#log()?.focus();
    }
    const log = this.#log();
    if (!log) return;
    if (this.#stickToBottom || this.#atBottom) {
      log.scrollTop = log.scrollHeight;
      this.#stickToBottom = false;
      this.#atBottom = true;
    } else if (this.#scrollAnchor && this._loadingOlder === false) {
      // Older messages were added above: keep what the reader was looking at in place.
      const grown = log.scrollHeight - this.#scrollAnchor.height;
      if (grown > 0 && log.scrollTop < NEAR_EDGE_PX * 2) log.scrollTop = this.#scrollAnchor.top + grown;
    }
    this.#scrollAnchor = undefined;
  }

  protected override render(): TemplateResult {
    const strings = this.#strings();
    const room = this.#chatRoom;
    if (!this.#client) {
      const onName = (name: string) => {
        this.#nameFromPrompt = true;
        if (name === this.name) this.#needsConnect = true; // the same name again: try it again
        this.name = name;
        this.requestUpdate();
      };
      return renderNamePrompt({ strings, name: this.name, error: this._nameError, onName });
    }
    const members = this._removed ? [] : (room?.members ?? []); // no longer there to see them
    const all = room?.messages ?? [];
    const messages = all.length > this._renderLimit ? all.slice(all.length - this._renderLimit) : all;
    const atBeginning = room !== undefined && !room.hasMoreHistory && messages.length === all.length;
    return html`
      <section class="frame" aria-label=${this.heading ?? room?.room?.title ?? strings.chatLabel}>
        <header part="header">
          <h2>${this.heading ?? room?.room?.title ?? this.room ?? ''}</h2>
          <button
            type="button"
            aria-expanded=${String(this._showMembers)}
            aria-controls="members"
            title=${this._showMembers ? strings.hideMembers : strings.showMembers}
            @click=${() => (this._showMembers = !this._showMembers)}
          >
            ${strings.membersCount(members.length)}
          </button>
        </header>
        ${renderBanner({
          strings,
          removed: this._removed,
          ended: this._ended,
          signedOut: this._signedOut,
          error: this._error,
          offline: this._connection === ConnectionState.RECONNECTING || this._connection === ConnectionState.DISCONNECTED,
          connecting: this._connection === ConnectionState.CONNECTING || this._connection === 'idle',
        })}
        <div class="body">
          <div
            part="log"
            class="log"
            role="log"
            aria-live="polite"
            aria-relevant="additions"
            aria-label=${strings.messagesLabel}
            tabindex="0"
            @scroll=${this.#onScroll}
          >
            ${
              room
                ? renderMessageList({
                    messages,
                    notices: this.#notices,
                    outbox: room.outbox,
                    selfId: room.self?.id,
                    strings,
                    timeFormat: this.#format(),
                    atBeginning,
                    loadingOlder: this._loadingOlder,
                    onRetry: this._removed || this._ended ? undefined : (id) => void room.retry(id).catch((e: ChatError) => this.#fail(e)),
                    onDiscard: (id) => room.discard(id),
                  })
                : nothing
            }
          </div>
          ${this._showMembers ? renderMemberList(members, room?.self?.id, strings) : nothing}
        </div>
        ${
          this._newBelow > 0
            ? html`<button type="button" class="jump primary" @click=${this.#jumpToBottom}>${strings.newMessages(this._newBelow)}</button>`
            : nothing
        }
        <div part="typing" class="typing" aria-live="polite">
          ${this._typing.length ? strings.typing(this._typing.map((u) => u.name)) : ''}
        </div>
        ${renderComposer({
          strings,
          disabled: this._ended || this._removed || this._signedOut || !room,
          onSend: (text) => this.#send(text),
          onTyping: () => this.#chatRoom?.typing(),
        })}
      </section>
    `;
  }

  // Connection -----------------------------------------------------------------------------

  #connect(): void {
    this.#teardown();
    const client = this.client ?? this.#createClient();
    if (!client) return;
    this.#client = client;
    this.#ownsClient = client !== this.client;
    this._connection = client.state;
    this._error = undefined;
    this._nameError = undefined;
    this._signedOut = false;
    this.#wasConnected = client.state === ConnectionState.CONNECTED;
    this.#clientOffs.push(
      client.on('state', (state) => {
        this._connection = state;
        if (state !== ConnectionState.CONNECTED) return;
        this.#wasConnected = true;
        this._error = undefined;
        this._signedOut = false;
      }),
      client.on('error', (error) => this.#clientError(error)),
    );
    this.#switchRoom();
  }

  #createClient(): ChatClient | undefined {
    if (!this.token && !this.name) return undefined;
    const url = this.server || location.origin;
    const keyName = `chat-room:guest:${url}`;
    const auth = this.token ? { token: this.token } : { name: this.name as string, guestKey: readSession(keyName) };
    this.#clientToken = this.token || undefined;
    this.#clientRefreshes = Boolean(this.refreshToken);
    // Asks the page's function as it is at the time, and remembers the token the client now has.
    const refreshToken = async (): Promise<string> => {
      if (!this.refreshToken) throw new ChatError(ErrorCode.UNAUTHENTICATED, 'The page took its refreshToken away.');
      const token = await this.refreshToken();
      this.#clientToken = token;
      return token;
    };
    const client = new ChatClient({
      url,
      auth,
      ...(this.path && { path: this.path }),
      ...(this.#clientRefreshes && { refreshToken }),
    });
    if (client.guestKey) writeSession(keyName, client.guestKey);
    return client;
  }

  #switchRoom(): void {
    const attempt = ++this.#joinAttempt;
    const previous = this.#chatRoom;
    this.#detachRoom();
    if (previous && previous.id !== this.room) void previous.leave().catch(() => undefined);
    const client = this.#client;
    if (!client || !this.room) return;
    client.join(this.room).then(
      (room) => {
        if (attempt !== this.#joinAttempt) return; // the room attribute changed meanwhile
        this.#attachRoom(room);
      },
      (error: ChatError) => {
        if (attempt !== this.#joinAttempt) return;
        if (this.#refusesName(error)) this.#askForName(error);
        else this.#fail(error);
      },
    );
  }

  #attachRoom(room: ChatRoom): void {
    this.#chatRoom = room;
    this.#nameFromPrompt = false;
    this._error = undefined;
    this._ended = false;
    this._removed = false;
    this.#stickToBottom = true;
    this.#roomOffs.push(
      room.on('updated', () => this.requestUpdate()),
      room.on('message', (message) => {
        const own = message.user.id === room.self?.id;
        this.dispatchEvent(new ChatMessageEvent({ message, own }));
        if (own) {
          this.#stickToBottom = true;
          return;
        }
        if (!this.#atBottom) this._newBelow++;
        if (!this.#atBottom || document.hidden) this.#setUnread(this._unread + 1);
      }),
      room.on('presence', ({ joined, left }) => {
        const lastSeq = room.messages.at(-1)?.seq ?? 0;
        const strings = this.#strings();
        for (const m of joined) if (m.id !== room.self?.id) this.#notice(strings.joined(m.name), lastSeq);
        for (const m of left) if (m.id !== room.self?.id) this.#notice(strings.left(m.name), lastSeq);
      }),
      room.on('typing', (users) => (this._typing = users)),
      room.on('ended', () => (this._ended = true)),
      room.on('removed', () => {
        this.#composerOff();
        this._removed = true;
        this._typing = [];
        this.dispatchEvent(new ChatErrorEvent({ error: new ChatError(ErrorCode.FORBIDDEN, 'You no longer have access to this room.') }));
      }),
      room.on('discontinuity', (event) => this.#discontinuity(room, event)),
    );
    this.dispatchEvent(new ChatJoinEvent({ roomId: room.id, members: room.members }));
    this.requestUpdate();
  }

  #detachRoom(): void {
    for (const off of this.#roomOffs.splice(0)) off();
    this.#chatRoom = undefined;
    this.#notices = [];
    this._typing = [];
    this._newBelow = 0;
    this._renderLimit = RENDER_STEP;
    this.#setUnread(0);
  }

  #teardown(): void {
    this.#joinAttempt++;
    const room = this.#chatRoom;
    this.#detachRoom();
    for (const off of this.#clientOffs.splice(0)) off();
    if (this.#ownsClient) this.#client?.close();
    else if (room) void room.leave().catch(() => undefined);
    this.#client = undefined;
    this.#ownsClient = false;
  }

  /** Messages are missing for good (a line where they are), or the history started over (the log starts over too). */
  #discontinuity(room: ChatRoom, event: Discontinuity): void {
    const strings = this.#strings();
    if (event.reason === 'gap') {
      this.#notice(strings.gap, event.after ?? room.messages.at(-1)?.seq ?? 0, 'gap');
      return;
    }
    // The notices were placed by seqs of the old history: they would land among the new one.
    this.#notices = [];
    this._newBelow = 0;
    this._renderLimit = RENDER_STEP;
    this.#stickToBottom = true;
    this.#notice(strings.historyReset, 0, 'reset');
  }

  #clientError(error: ChatError): void {
    if (this.#refusesName(error)) return this.#askForName(error);
    // Signed out after being signed in: the sign-in expired and no fresh token came (yet).
    if (error.code === ErrorCode.UNAUTHENTICATED && this.#wasConnected) {
      if (this.refreshToken && this.#ownsClient && !this.#clientRefreshes) {
        // The page gave refreshToken after the client was made: the connection is lost anyway,
        // so start again with a client that asks it (the SDK refreshes a refused sign-in).
        this.#needsConnect = true;
        this.requestUpdate();
        return;
      }
      this.#composerOff();
      this._signedOut = true;
      if (error === this.#lastError) return;
      this.#lastError = error;
      this.dispatchEvent(new ChatErrorEvent({ error }));
      return;
    }
    this.#fail(error);
  }

  #composerOff(): void {
    if (this.shadowRoot?.activeElement?.id === 'input') this.#focusLog = true;
  }

  /**
   * A new `token` for the widget's own signed-in client: handed to the connection
   * (`setAuth`: a live one stays up, a signed-out one connects again). False when the widget
   * must reconnect instead (no client yet, a guest, the page's client, the token removed).
   */
  #renewToken(): boolean {
    const client = this.#client;
    if (!client || !this.#ownsClient || !this.#clientToken || !this.token) return false;
    if (this.token === this.#clientToken) return true;
    this.#clientToken = this.token;
    // A refused token does not sign a live connection out: it keeps the one it has, so this is a plain error.
    client.setAuth({ token: this.token }).then(
      () => (this._signedOut = false),
      (error: ChatError) => this.#fail(error),
    );
    return true;
  }

  #fail(error: ChatError): void {
    // A refused connection reaches us twice, as the client's `error` and as the join it fails.
    if (error === this.#lastError) return;
    this.#lastError = error;
    this._error = error.message;
    this.dispatchEvent(new ChatErrorEvent({ error }));
  }

  /**
   * The server refused the guest name the widget connected with: taken in the room (at a join
   * or a re-join), or refused at the handshake (`UNAUTHENTICATED`, `VALIDATION_FAILED`: empty,
   * too long, characters not allowed). Only for the widget's own guest client: a token or a
   * client the page gave cannot be fixed by typing another name.
   */
  #refusesName(error: ChatError): boolean {
    if (!this.#ownsClient || this.token) return false;
    if (error.code === ErrorCode.NAME_TAKEN) return true;
    const refused = this.#client?.state === ConnectionState.DISCONNECTED; // the handshake failed, not a request
    return refused && (error.code === ErrorCode.UNAUTHENTICATED || error.code === ErrorCode.VALIDATION_FAILED);
  }

  /** Back to the name prompt, with the server's reason and the refused name in the field. */
  #askForName(error: ChatError): void {
    this.#focusName = this.#nameFromPrompt || Boolean(this.shadowRoot?.activeElement);
    this.#teardown();
    this._nameError = error.message;
    this.dispatchEvent(new ChatErrorEvent({ error }));
  }

  // Reading ------------------------------------------------------------------------------------

  #onScroll = (): void => {
    const log = this.#log();
    if (!log) return;
    this.#atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_EDGE_PX;
    if (this.#atBottom) {
      this._newBelow = 0;
      if (!document.hidden) this.#setUnread(0);
    }
    if (log.scrollTop < NEAR_EDGE_PX) void this.#loadOlder();
  };

  async #loadOlder(): Promise<void> {
    const room = this.#chatRoom;
    if (!room || this._loadingOlder) return;
    const log = this.#log();
    if (log) this.#scrollAnchor = { height: log.scrollHeight, top: log.scrollTop };
    if (room.messages.length > this._renderLimit) {
      this._renderLimit += RENDER_STEP; // what is loaded but not drawn comes first
      return;
    }
    if (!room.hasMoreHistory) return;
    this._loadingOlder = true;
    try {
      await room.history();
      this._renderLimit = Math.max(this._renderLimit, room.messages.length);
    } catch (error) {
      this.#fail(error as ChatError);
    } finally {
      if (log) this.#scrollAnchor = { height: log.scrollHeight, top: log.scrollTop };
      this._loadingOlder = false;
    }
  }

  #jumpToBottom = (): void => {
    this.#stickToBottom = true;
    this._newBelow = 0;
    this.#setUnread(0);
    this.requestUpdate();
  };

  #onVisibility = (): void => {
    if (!document.hidden && this.#atBottom) this.#setUnread(0);
  };

  #setUnread(count: number): void {
    if (count === this._unread) return;
    this._unread = count;
    this.dispatchEvent(new ChatUnreadEvent({ count }));
  }

  #notice(text: string, afterSeq: number, kind?: Notice['kind']): void {
    this.#notices = [...this.#notices, { id: ++this.#noticeId, text, afterSeq, ...(kind && { kind }) }].slice(-MAX_NOTICES);
    this.requestUpdate();
  }

  // Writing ------------------------------------------------------------------------------------

  #send(text: string): void {
    const room = this.#chatRoom;
    if (!room) return;
    this.#stickToBottom = true;
    room.send(text).catch((error: ChatError) => this.#fail(error));
  }

  // Helpers ------------------------------------------------------------------------------------

  #log(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.log') ?? null;
  }

  #lang(): string {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en';
  }

  #strings(): ChatStrings {
    return resolveStrings(this.#lang(), this.strings);
  }

  #format(): Intl.DateTimeFormat {
    const lang = this.#lang();
    if (this.#timeFormat?.lang !== lang) {
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat(lang, { hour: 'numeric', minute: '2-digit' });
      } catch {
        format = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' });
      }
      this.#timeFormat = { lang, format };
    }
    return this.#timeFormat.format;
  }
}
