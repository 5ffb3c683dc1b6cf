import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ConnectionState, type ChatClient, type ChatError } from '@chat/client';
import { chatRoomStyles } from '../chat-room/chat-room.styles.js';
import type { ChatTheme } from '../chat-room/chat-room.component.js';
import { ConnectionController, type TokenRefresher } from '../chat-room/connection-controller.js';
import { moveFocus } from '../chat-room/roving-focus.js';
import { ConversationsController } from '../conversations/conversations-controller.js';
import { ChatErrorEvent, ChatOpenEvent } from '../events.js';
import { formatsFor } from '../formats.js';
import { stringsFor } from '../i18n/locale-loader.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderBanner } from '../parts/banner.js';
import { conversationRow } from '../parts/conversation-row.js';
import { renderNamePrompt } from '../parts/name-prompt.js';
import { chatInboxStyles } from './chat-inbox.styles.js';

/**
 * The user's conversations, newest activity first, kept live: each with its name (a direct
 * room's: the other people's), last message, time, unread and mention badges (the server's
 * counts), and a status dot for direct rooms. Choosing one fires `chat-open`; unless the page
 * cancels it, the inbox shows the room in its own `<chat-room>`, with a way back to the list.
 *
 * @tag chat-inbox
 * @summary A list of the user's conversations with unread badges, that opens each in a chat room.
 *
 * @attr server - URL of the chat server (default: the page's origin).
 * @attr path - Socket.IO path, when the server sets one (default `/socket.io`).
 * @attr name - Guest display name (a guest in the same tab is the same user as its `<chat-room>`s).
 * @attr token - Sign-in token (JWT) for servers that use `jwtAuthenticate`.
 * @attr lang - Language (`en`, `es`, ...); defaults to the page's language.
 * @attr theme - `light`, `dark` or `auto` (follows the system). Default `auto`.
 * @attr heading - Title shown above the list (default "Conversations").
 *
 * @prop {ChatClient | undefined} client - A ChatClient the page already has; the inbox (and the room it opens) use it.
 * @prop {Partial<ChatStrings>} strings - The host's own texts, on top of the language's.
 * @prop {TokenRefresher | undefined} refreshToken - Gives a fresh token before the current one expires.
 *
 * @fires chat-open - A conversation was chosen: `detail.roomId`, `detail.conversation` (its `RoomSummary`).
 *   Cancelable: `preventDefault()` keeps the list, and the page opens the room where it wants.
 * @fires chat-error - Something failed: `detail.error` (a ChatError). The `<chat-room>` the inbox opens fires its
 *   own events (`chat-message`, `chat-unread`, ...), which bubble out of the inbox.
 *
 * @csspart header - The top bar with the title.
 * @csspart list - The list of conversations (`role="listbox"`).
 * @csspart conversation - One conversation (`role="option"`).
 * @csspart avatar - An avatar image or initials.
 * @csspart banner - The offline / error line.
 */
export class ChatInboxElement extends LitElement {
  static override styles = [chatRoomStyles, chatInboxStyles];
  static override properties = {
    server: { type: String },
    path: { type: String },
    name: { type: String },
    token: { type: String },
    locale: { type: String, attribute: 'lang' },
    theme: { type: String, reflect: true },
    heading: { type: String },
    client: { attribute: false },
    strings: { attribute: false },
    refreshToken: { attribute: false },
    _open: { state: true },
    _error: { state: true },
  };

  declare server: string | undefined;
  declare path: string | undefined;
  declare name: string | undefined;
  declare token: string | undefined;
  declare locale: string | undefined;
  declare theme: ChatTheme;
  declare heading: string | undefined;
  declare client: ChatClient | undefined;
  declare strings: Partial<ChatStrings>;
  declare refreshToken: TokenRefresher | undefined;
  /** The inbox has no uploads of its own (the connection's settings have the field). */
  readonly uploads = undefined;
  /** The room shown in the inbox's own `<chat-room>`, if any. */
  declare _open: string | undefined;
  declare _error: string | undefined;

  readonly #connection = new ConnectionController(this, {
    join: () => this.requestUpdate(),
    dropRoom: () => undefined,
    fail: (error, line) => this.#fail(error, line),
    clearError: () => (this._error = undefined),
    composerOff: () => undefined,
    strings: () => this.#strings(),
  });
  readonly #conversations = new ConversationsController(this, { strings: () => this.#strings(), open: (id) => this.#open(id) });
  /** The conversation that is the list's one tab stop. */
  #active: string | undefined;
  /** What gets focus after the next render. */
  #focus: string | undefined;

  constructor() {
    super();
    this.theme = 'auto';
    this.strings = {};
    this._open = undefined;
    this._error = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#connection.sync(changed);
    this.#conversations.follow(this.#connection.client);
  }

  protected override updated(): void {
    if (this.#focus) this.renderRoot.querySelector<HTMLElement>(this.#focus)?.focus();
    this.#focus = undefined;
  }

  protected override render(): TemplateResult {
    const strings = this.#strings();
    const connection = this.#connection;
    const client = connection.client;
    if (!client) {
      return renderNamePrompt({ strings, name: this.name, error: connection.nameError, onName: (name) => connection.chooseName(name) });
    }
    const heading = this.heading ?? strings.conversations;
    if (this._open) {
      return html`<section class="frame" aria-label=${heading}>
        <button type="button" class="back" @click=${this.#back}><span aria-hidden="true">‹</span> ${strings.backTo(heading)}</button>
        <chat-room
          .client=${client}
          room=${this._open}
          lang=${this.locale ?? nothing}
          theme=${this.theme}
          .strings=${this.strings}
        ></chat-room>
      </section>`;
    }
    const conversations = this.#conversations;
    const list = conversations.list;
    const active = list.some((s) => s.room.id === this.#active) ? this.#active : list[0]?.room.id;
    const when = formatsFor(this.#lang()).when;
    return html`<section class="frame" aria-label=${heading}>
      <header part="header"><h2 id="inbox-title">${heading}</h2></header>
      ${renderBanner({
        strings,
        removed: false,
        ended: false,
        signedOut: connection.signedOut,
        error: this._error,
        offline: connection.state === ConnectionState.RECONNECTING || connection.state === ConnectionState.DISCONNECTED,
        connecting: connection.state === ConnectionState.CONNECTING || connection.state === 'idle',
      })}
      ${
        list.length === 0
          ? html`<p class="notice">${strings.noConversations}</p>`
          : html`<ul part="list" class="log" role="listbox" aria-labelledby="inbox-title" @keydown=${this.#keydown}>
              ${repeat(
                list,
                (s) => s.room.id,
                (s) =>
                  html`<li
                    part="conversation"
                    class="row"
                    role="option"
                    data-id=${s.room.id}
                    tabindex=${s.room.id === active ? 0 : -1}
                    aria-selected=${String(s.room.id === active)}
                    @click=${() => this.#open(s.room.id)}
                    @focus=${() => (this.#active = s.room.id)}
                  >
                    ${conversationRow(s, conversations.row(s, when))}
                  </li>`,
              )}
            </ul>`
      }
    </section>`;
  }

  /** Arrows, Home and End move along the list (one tab stop); Enter and Space open a conversation. */
  #keydown = (event: KeyboardEvent): void => {
    const items = Array.from((event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role=option]'));
    if (moveFocus(event, items)) return;
    const id = (event.target as HTMLElement).dataset['id'];
    if (id && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      this.#open(id);
    }
  };

  /** Fires `chat-open`; unless the page cancelled it, shows the room here. */
  #open(roomId: string): void {
    const conversation = this.#conversations.get(roomId);
    if (!conversation || !this.dispatchEvent(new ChatOpenEvent({ roomId, conversation }))) return;
    this.#active = roomId;
    this._open = roomId;
    this.#focus = '.back';
  }

  #back = (): void => {
    this.#focus = `[data-id="${CSS.escape(this._open ?? '')}"]`;
    this._open = undefined;
  };

  #fail(error: ChatError, line = true): void {
    if (line) this._error = error.message;
    this.dispatchEvent(new ChatErrorEvent({ error }));
  }

  #lang(): string {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en';
  }

  #strings(): ChatStrings {
    return stringsFor(this, this.#lang(), this.strings, (error) => this.#fail(error, false));
  }
}
