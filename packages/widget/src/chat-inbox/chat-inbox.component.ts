// <chat-inbox> as chat-room.min.js defines it: its attributes and properties, and nothing else. What
// it shows and does is ./inbox.ts, a chunk (chat-room.inbox.js next to chat-room.min.js) loaded when
// the first <chat-inbox> connects: a page with only <chat-room> never downloads it.
import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ChatClient, ChatError } from '@chat/client';
import type { ChatTheme } from '../chat-room/chat-theme.js';
import type { TokenRefresher } from '../chat-room/connection-controller.js';
import { ChatErrorEvent } from '../events.js';
import type { ChatStrings } from '../i18n/strings.js';
import { followDir } from '../chat-room/host-dir.js';
import { LazyPart } from '../lazy-part.js';
import type { InboxView } from './inbox-view.js';

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
  // Its own styles come with its code; until then it holds its place as a block.
  static override styles = css`
    :host {
      display: block;
    }
  `;
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

  /** Why the inbox's code could not be loaded, shown instead of it. */
  #loadError: string | undefined;
  readonly #view = new LazyPart<InboxView>(
    {
      requestUpdate: () => this.requestUpdate(),
      fail: (error: ChatError) => {
        this.#loadError = error.message;
        this.requestUpdate();
        this.dispatchEvent(new ChatErrorEvent({ error }));
      },
      recovered: () => (this.#loadError = undefined),
    },
    () => import('./inbox.js').then((chunk) => chunk.createInbox(this)),
    'The conversations list',
    'chat-room.inbox.js',
  );

  constructor() {
    super();
    followDir(this);
    this.theme = 'auto';
    this.strings = {};
  }

  // Loads the inbox's code the first time (and, after a failed load, each time it is put in a page again).
  override connectedCallback(): void {
    super.connectedCallback();
    void this.#view.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#view.module?.willUpdate(changed);
  }

  protected override updated(): void {
    this.#view.module?.updated();
  }

  protected override render(): TemplateResult | typeof nothing {
    const view = this.#view.module;
    if (view) return view.render();
    return this.#loadError ? html`<p role="alert">${this.#loadError}</p>` : nothing;
  }
}
