// What <chat-inbox> is (its list, its connection, its styles): the chunk chat-room.inbox.js, loaded
// when the first <chat-inbox> connects (./chat-inbox.component.ts is the element, which a page with
// only <chat-room> loads without this).
import { adoptStyles, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ConnectionState, type ChatError } from '@chat/client';
import { chatRoomStyles } from '../chat-room/chat-room.styles.js';
import { ConnectionController } from '../chat-room/connection-controller.js';
import { moveFocus } from '../chat-room/roving-focus.js';
import { ConversationsController } from '../conversations/conversations-controller.js';
import { ChatErrorEvent, ChatOpenEvent } from '../events.js';
import { formatsFor, languagesOf } from '../formats.js';
import { errorText } from '../i18n/error-text.js';
import { stringsFor } from '../i18n/locale-loader.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderBanner } from '../parts/banner.js';
import { conversationRow } from '../parts/conversation-row.js';
import { renderNamePrompt } from '../parts/name-prompt.js';
import { chatInboxStyles } from './chat-inbox.styles.js';
import { inboxStrings } from './inbox-strings.js';
import type { InboxHost, InboxView } from './inbox-view.js';

/** The implementation of `inbox`: its styles go into its shadow root now. */
export function createInbox(inbox: InboxHost): InboxView {
  adoptStyles(inbox.renderRoot as ShadowRoot, [chatRoomStyles, chatInboxStyles]);
  return new Inbox(inbox);
}

/** The list of conversations and the room opened from it (see ChatInboxElement for what it shows). */
class Inbox implements InboxView {
  readonly #host: InboxHost;
  /** The room shown in the inbox's own `<chat-room>`, if any. */
  #openRoom: string | undefined;
  #error: ChatError | undefined;
  /** The language's file could not be loaded: said until another error takes its place (a connection clears those). */
  #lostLanguage: ChatError | undefined;
  readonly #connection: ConnectionController;
  readonly #conversations: ConversationsController;
  /** The conversation that is the list's one tab stop. */
  #active: string | undefined;
  /** What gets focus after the next render. */
  #focus: string | undefined;

  constructor(host: InboxHost) {
    this.#host = host;
    this.#connection = new ConnectionController(host, {
      join: () => host.requestUpdate(),
      _dropRoom: () => undefined,
      fail: (error, line) => this.#fail(error, line),
      _clearError: () => this.#set(() => (this.#error = undefined)),
      _composerOff: () => undefined,
      strings: () => this.#strings(),
    });
    this.#conversations = new ConversationsController(host, {
      strings: () => this.#strings(),
      _textLang: () => languagesOf(this.#lang()).text,
      open: (id) => this.#open(id),
      fail: (error) => this.#fail(error),
    });
  }

  willUpdate(changed: PropertyValues<InboxHost>): void {
    this.#connection.sync(changed);
    this.#conversations.follow(this.#connection.client);
  }

  updated(): void {
    if (this.#focus) this.#host.renderRoot.querySelector<HTMLElement>(this.#focus)?.focus();
    this.#focus = undefined;
  }

  render(): TemplateResult {
    const host = this.#host;
    const strings = this.#strings();
    const connection = this.#connection;
    const client = connection.client;
    const { ui, dir } = languagesOf(this.#lang(), host);
    if (!client) {
      return renderNamePrompt({
        strings,
        lang: ui,
        dir,
        name: host.name,
        error: connection.nameError && errorText(strings, connection.nameError, 'name'),
        onName: (name) => connection._chooseName(name),
      });
    }
    const heading = host.heading ?? strings.conversations;
    if (this.#openRoom) {
      return html`<section class="frame" lang=${ui} dir=${dir} aria-label=${heading}>
        <button type="button" class="back" @click=${this.#back}><span aria-hidden="true">‹</span> ${strings.backTo(heading)}</button>
        <chat-room
          .client=${client}
          room=${this.#openRoom}
          lang=${host.locale ?? nothing}
          dir=${host.dir || nothing}
          theme=${host.theme}
          .strings=${host.strings}
        ></chat-room>
      </section>`;
    }
    const conversations = this.#conversations;
    const list = conversations.list;
    const active = list.some((s) => s.room.id === this.#active) ? this.#active : list[0]?.room.id;
    const when = formatsFor(this.#lang()).when;
    const error = this.#error ?? this.#lostLanguage;
    return html`<section class="frame" lang=${ui} dir=${dir} aria-label=${heading}>
      <header part="header"><h2 id="inbox-title">${heading}</h2></header>
      ${renderBanner({
        strings,
        removed: false,
        ended: false,
        signedOut: connection.signedOut,
        error: error && errorText(strings, error),
        offline: connection.state === ConnectionState.RECONNECTING || connection.state === ConnectionState.DISCONNECTED,
        connecting: connection.state === ConnectionState.CONNECTING || connection.state === 'idle',
      })}
      ${
        list.length === 0
          ? html`<p class="notice">${inboxStrings(strings).noConversations}</p>`
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
    if (!conversation || !this.#host.dispatchEvent(new ChatOpenEvent({ roomId, conversation }))) return;
    this.#active = roomId;
    this.#focus = '.back';
    this.#set(() => (this.#openRoom = roomId));
  }

  #back = (): void => {
    this.#focus = `[data-id="${CSS.escape(this.#openRoom ?? '')}"]`;
    this.#set(() => (this.#openRoom = undefined));
  };

  #fail(error: ChatError, line = true): void {
    if (line) this.#set(() => (this.#error = error));
    this.#host.dispatchEvent(new ChatErrorEvent({ error }));
  }

  // A change of what is shown: the element renders again.
  #set(change: () => void): void {
    change();
    this.#host.requestUpdate();
  }

  #lang(): string {
    const host = this.#host;
    return host.locale || host.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en';
  }

  #strings(): ChatStrings {
    return stringsFor(this.#host, this.#lang(), this.#host.strings, (error) => this.#fail((this.#lostLanguage = error)));
  }
}
