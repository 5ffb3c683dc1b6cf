import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ChatError, ConnectionState, type ChatClient, type ChatRoom, type UserRef } from '@chat/client';
import { ConversationsController } from '../conversations/conversations-controller.js';
import { formatsFor, languagesOf } from '../formats.js';
import { errorText } from '../i18n/error-text.js';
import { stringsFor } from '../i18n/locale-loader.js';
import type { ChatStrings } from '../i18n/strings.js';
import { renderBanner } from '../parts/banner.js';
import { renderComposer } from '../parts/composer.js';
import { renderHeader } from '../parts/header.js';
import { PickerSlot } from '../pickers/loader.js';
import { renderRoomLog } from '../parts/room-log.js';
import { dropZone } from '../parts/drop-zone.js';
import { renderTyping } from '../parts/typing.js';
import { renderJumpLatest } from '../parts/jump-latest.js';
import { chatRoomStyles } from './chat-room.styles.js';
import type { ChatTheme } from './chat-theme.js';
import { ConnectionController, type TokenRefresher } from './connection-controller.js';
import { MessageController } from './message-controller.js';
import { PrivateController } from './private-controller.js';
import { ReadController } from './read-controller.js';
import { RENDER_STEP, ScrollController } from './scroll-controller.js';
import { RoomSessionController } from './room-session-controller.js';
import { SendController } from './send-controller.js';
import { UploadSlot, ViewerSlot } from '../uploads/loader.js';
import { liveReactionsSlot, pinsSlot, pollsSlot, previewsSlot, questionsSlot } from './live-event-slots.js';
import { CallSlot } from '../call/loader.js';
import type { LazyPartHost } from '../lazy-part.js';
import { pushEntry } from '../push/loader.js';
import { ThreadSlot } from '../threads/loader.js';
import { ModerationSlot } from '../moderation/loader.js';
import { PanelSlot } from '../panels/loader.js';
import { SearchSlot } from '../search/loader.js';
import { voiceSlot } from '../voice/loader.js';
import { composerBlock, SendLimits } from './send-limits.js';
import { followDir } from './host-dir.js';

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
 * @attr lang - Language (`en`, `es`, ...); defaults to the page's language. The widget is laid out in its language's
 *   direction, right to left for Arabic or Hebrew (set `dir` on the element to choose another).
 * @attr theme - `light`, `dark` or `auto` (follows the system). Default `auto`.
 * @attr heading - Title shown in the header (default: the room's title or id).
 * @attr uploads - Lets people send files (attach button, paste, drag and drop), for servers with `uploads`. Empty: the
 *   SDK's default route (`/chat/uploads` on `server`); or the URL of the server's uploads route. Read when the widget
 *   connects.
 * @attr calls - Audio and video calls, for servers with `calls`: call buttons in the header and on each person, a banner
 *   for an incoming call, the call view. Loads `chat-room.call.js` (next to `chat-room.min.js`) the first time it is set.
 * @attr push-worker - URL of the host's service worker (`chat-sw.js`): "Notify me on this device", for servers with `push`.
 *
 * Moderators (`room.canModerate`) get a Moderation button in the header and in each person's card; what they open
 * is `chat-room.moderation.js` (next to `chat-room.min.js`), loaded on the first click. The header's search button
 * opens a panel that searches the conversation shown and goes to a message found (`chat-room.search.js`, on first use).
 *
 * @prop {ChatClient | undefined} client - A ChatClient the page already has; the widget then uses it and never closes it.
 * @prop {Partial<ChatStrings>} strings - The host's own texts, on top of the language's.
 * @prop {TokenRefresher | undefined} refreshToken - Gives a fresh token before the current one expires (and when a
 *   reconnect is refused as expired), so the chat stays signed in; passed to the widget's ChatClient.
 *
 * @fires chat-message - A new message: `detail.message`, `detail.own`.
 * @fires chat-join - The room was joined: `detail.roomId`, `detail.members`.
 * @fires chat-error - Something failed: `detail.error` (a ChatError with `code` and `message`); also `FORBIDDEN`
 *   when the server takes the user out of the room or does not allow the page's origin, `UNAUTHENTICATED` when the
 *   sign-in expires, and the server's refusal of an uploaded file (`PAYLOAD_TOO_LARGE`, `VALIDATION_FAILED`).
 * @fires chat-unread - The server's unread counts changed: `detail.count` messages in the room and your private
 *   conversations, `detail.mentions` of them mention you, `detail.rooms` per room (`roomId`, `unread`, `mentions`, `direct`).
 *
 * @csspart header - The top bar with the title, the people toggle and the notifications button (in a private
 *   conversation: the way back to the room, and the other person's status).
 * @csspart log - The scrolling message list (`role="log"`).
 * @csspart message-group - Consecutive messages of one sender.
 * @csspart message - One message.
 * @csspart avatar - An avatar image or initials.
 * @csspart notice - A quiet line such as "Ana joined", or a break where messages are missing (class `break`).
 * @csspart command-reply - A slash command's private answer: a line in the log only you see ("Only you can see this").
 * @csspart day - The line above the first message of each day ("Today", "Yesterday", a date).
 * @csspart reply - The line above a reply that quotes what it answers (a click shows the original).
 * @csspart reaction - A reaction chip under a message: emoji and count, pressed when you reacted.
 * @csspart thread-count - Under a message with replies, their count: opens the thread panel (`thread`, from `chat-room.threads.js`).
 * @csspart reply-preview - Above the composer, the quote of the message you are answering.
 * @csspart members - The panel of people here, each with their status and a card ("Message privately"), and your
 *   private conversations with their unread badges.
 * @csspart typing - The "... is typing" line.
 * @csspart composer - The form with the text box and send button.
 * @csspart input - The text box.
 * @csspart send-button - The send button.
 * @csspart attach-button - The button that picks files to send (with `uploads`).
 * @csspart record-button - The microphone button (with `uploads`, where the browser records a voice message).
 * @csspart recorder - The voice recorder's bar above the text box: the time, Cancel, Send (`chat-room.recorder.js`).
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
 * @cssprop --chat-mention - Background of a message that mentions you.
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
    uploads: { type: String },
    calls: { type: String },
    pushWorker: { type: String, attribute: 'push-worker' },
    client: { attribute: false },
    strings: { attribute: false },
    refreshToken: { attribute: false },
    _typing: { state: true },
    _error: { state: true },
    _ended: { state: true },
    _removed: { state: true },
    _showMembers: { state: true },
    _newBelow: { state: true },
    _showNotify: { state: true },
    _loadingOlder: { state: true },
    _renderLimit: { state: true },
    _note: { state: true },
    _dropping: { state: true },
  };

  declare server: string | undefined;
  declare path: string | undefined;
  declare room: string | undefined;
  declare name: string | undefined;
  declare token: string | undefined;
  declare locale: string | undefined;
  declare theme: ChatTheme;
  declare heading: string | undefined;
  declare uploads: string | undefined;
  declare calls: string | undefined;
  declare pushWorker: string | undefined;
  declare client: ChatClient | undefined;
  declare strings: Partial<ChatStrings>;
  declare refreshToken: TokenRefresher | undefined;
  declare _typing: UserRef[];
  declare _error: ChatError | undefined;
  declare _ended: boolean;
  /** The server took the user out of the room. */
  declare _removed: boolean;
  declare _showMembers: boolean;
  declare _newBelow: number;
  /** The notifications menu is open. */
  declare _showNotify: boolean;
  declare _loadingOlder: boolean;
  declare _renderLimit: number;
  /** A short line for the status region (the original of a reply is gone, say). */
  declare _note: string;
  /** Files are dragged over the widget. */
  declare _dropping: boolean;

  readonly #connection = new ConnectionController(this, {
    join: () => this.#session.join(),
    _dropRoom: () => this.#session.drop(),
    fail: (error, line) => this.#fail(error, line),
    _clearError: () => (this._error = undefined),
    _composerOff: () => this.#composerOff(),
    strings: () => this.#strings(),
  });
  /** The files loaded on first use: a missing one is said in the banner, taken back once it loads. */
  readonly #parts: LazyPartHost = {
    requestUpdate: () => this.requestUpdate(),
    fail: (error) => this.#fail(error),
    recovered: (error) => {
      if (this._error === error) this._error = undefined;
    },
  };
  readonly #messages = new MessageController(this, this.#parts, {
    room: () => this.#session.room,
    strings: () => this.#strings(),
    fail: (error, line) => this.#fail(error, line),
    _reveal: (index) => this.#scroll._reveal(index),
    _loadOlder: () => this.#scroll._loadOlder(),
    note: (text) => (this._note = text),
    _openThread: (message) => this.#threads.open(message),
  });
  readonly #picker = new PickerSlot(this, this.#parts);
  /** What the moderation, call and push parts read of the element. */
  readonly #partView = {
    element: this,
    room: () => this.#session.room,
    strings: () => this.#strings(),
    lang: () => this.#lang(),
    fail: (error: ChatError, line?: boolean) => this.#fail(error, line),
    client: () => this.#connection.client,
  };
  readonly #moderation = new ModerationSlot(this.#partView, this.#parts);
  readonly #limits = new SendLimits(this, (text) => (this._note = text), this.#partView.strings);
  readonly #uploads = new UploadSlot(this, { room: () => this.#session.room, fail: (error, line) => this.#fail(error, line) }, this.#parts);
  readonly #viewer = new ViewerSlot(this, this.#parts);
  /** How the log and the thread panel show files: images full size in one viewer, an encrypted room's opened by the e2ee chunk, voice messages in the voice chunk's player. */
  readonly #files = { _onView: this.#viewer.open, _sealed: () => this.#session._sealed, _voice: voiceSlot(this.#partView, this.#parts) };
  readonly #calls = new CallSlot(this.#partView, this.#parts);
  readonly #liveReactions = liveReactionsSlot(this.#partView, this.#parts);
  readonly #push = pushEntry(this.#partView, this.#parts);
  readonly #threads = new ThreadSlot({ ...this.#partView, _files: this.#files }, this.#parts);
  readonly #conversations = new ConversationsController(this, {
    ...this.#partView,
    _textLang: () => languagesOf(this.#lang()).text,
    open: (id) => this.#private.open(id),
    // The widget's room and the private conversations: the user's other rooms are the inbox's.
    notifies: (summary) => summary.room.id === this.room || summary.room.options.direct === true,
  });
  readonly #private = new PrivateController(
    this,
    {
      client: () => this.#connection.client,
      home: () => this.room,
      show: () => {
        this.#refocus = '#input'; // the button that switched is gone
        this.#session.join();
      },
      fail: (error) => this.#fail(error),
    },
    this.#conversations,
  );
  readonly #reads = new ReadController(this, {
    room: () => this.#session.room,
    log: () => this.#scroll.log(),
    _atBottom: () => this.#scroll._atBottom,
    home: () => this.#session.home,
    conversations: () => this.#conversations.list,
  });
  /** The header's people panel and notifications menu, loaded when one first opens. */
  readonly #panels = new PanelSlot(
    {
      element: this,
      direct: this.#private,
      conversations: this.#conversations,
      home: () => this.room,
      fail: this.#partView.fail,
      lang: this.#partView.lang,
    },
    this.#parts,
  );
  readonly #scroll: ScrollController = new ScrollController(this, this.#partView, this.#reads);
  readonly #sender = new SendController(this, this.#partView, {
    limits: this.#limits,
    uploads: this.#uploads,
    messages: this.#messages,
    scroll: this.#scroll,
    _notice: (text, afterSeq, kind) => this.#session._notice(text, afterSeq, kind),
  });
  readonly #session: RoomSessionController = new RoomSessionController(this, this.#partView, {
    connection: this.#connection,
    direct: this.#private,
    messages: this.#messages,
    uploads: this.#uploads,
    picker: this.#picker,
    moderation: this.#moderation,
    limits: this.#limits,
    scroll: this.#scroll,
    _composerOff: () => this.#composerOff(),
  });
  readonly #search = new SearchSlot(
    {
      ...this.#partView,
      _messages: this.#messages,
      _scroll: this.#scroll,
      _direct: this.#private,
      _threads: this.#threads,
      _conversations: this.#conversations,
    },
    this.#parts,
  );
  readonly #previews = previewsSlot(this.#partView, this.#parts);
  readonly #polls = pollsSlot(this.#partView, this.#parts);
  readonly #questions = questionsSlot(this.#partView, this.#parts);
  readonly #pins = pinsSlot({ ...this.#partView, _messages: this.#messages, _scroll: this.#scroll, _threads: this.#threads }, this.#parts);
  /** Where focus goes after the next render: back to the people toggle or the bell after their panel closed. */
  #refocus: string | undefined;
  /** The composer had focus when it was switched off: keep keyboard users in the widget, on the log. */
  #focusLog = false;
  #lostLanguage: ChatError | undefined; // its file did not load: in the banner while no other error is (connecting clears those)

  constructor() {
    super();
    followDir(this);
    this.theme = 'auto';
    this.strings = {};
    this._typing = [];
    this._error = undefined;
    this._ended = false;
    this._removed = false;
    this._showMembers = false;
    this._newBelow = 0;
    this._showNotify = false;
    this._loadingOlder = false;
    this._renderLimit = RENDER_STEP;
    this._note = '';
    this._dropping = false;
  }

  /** The room the widget shows now (from `@chat/client`), once joined. */
  get chatRoom(): ChatRoom | undefined {
    return this.#session.room;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('room')) this.#private.shown = undefined;
    // A new connection joins the room itself.
    if (!this.#connection.sync(changed) && changed.has('room')) this.#session.join();
    this.#conversations.follow(this.#connection.client);
    // The files were waited for: they are in now.
    if (!this.#uploads.busy && this._note === this.#strings().waitForUploads) this._note = '';
    this.#scroll.measure();
  }

  protected override updated(): void {
    if (this.#refocus) {
      // A composer switched off (the room still joining) gets focus once it is on again.
      const el = this.renderRoot.querySelector<HTMLTextAreaElement>(this.#refocus);
      if (!el?.disabled) this.#refocus = undefined;
      el?.focus();
    }
    if (this.#focusLog) {
      this.#focusLog = false;
      this.#scroll.log()?.focus();
    }
    this.#scroll.restore();
  }

  protected override render(): TemplateResult {
    const strings = this.#strings();
    const room = this.#session.room;
    const connection = this.#connection;
    if (!connection.client) return connection.prompt(strings, languagesOf(this.#lang(), this));
    const members = this._removed ? [] : (room?.members ?? []); // no longer there to see them
    const shown = this.#scroll._shown(room);
    const ui = this.#messages;
    ui.track(shown.messages);
    const disabled = this._ended || this._removed || connection.signedOut || !room || this.#session.deviceRemoved !== undefined;
    const uploads = this.uploads == null ? undefined : this.#uploads;
    const { drag, leave } = dropZone(uploads, disabled, (on) => (this._dropping = on), this.#threads.drops);
    const conversations = this.#conversations;
    const when = formatsFor(this.#lang()).when;
    const counts = this.#reads.counts();
    const { direct, title, back, status, people } = this.#private.header(room, this.#session.home, this.heading, counts, strings, when, {
      count: room?.isLarge === true ? room.memberCount : members.length,
      open: this._showMembers,
      onToggle: () => (this._showMembers = !this._showMembers),
    });
    const level = conversations.get(room?.id)?.notifications ?? 'all';
    const error = this._error ?? this.#lostLanguage ?? this.#conversations._lost;
    return html`
      <section
        class="frame"
        lang=${languagesOf(this.#lang()).ui}
        dir=${languagesOf(this.#lang(), this).dir}
        aria-label=${direct || room?.room?.options.direct ? title : (this.heading ?? room?.room?.title ?? strings.chatLabel)}
        @dragover=${drag}
        @drop=${drag}
        @dragleave=${leave}
      >
        ${renderHeader({
          strings,
          title,
          back,
          status,
          people,
          calls: this.#calls.render('header'),
          encrypted: room?.room?.options.encrypted === true,
          _closePanels: () => ((this._showMembers = this._showNotify = false), this.#search._close(), this.#moderation._close()),
          moderation: room?.canModerate && !disabled ? this.#moderation.button(strings) : undefined,
          search: room?.room && room.room.options.ephemeral !== true && !disabled ? this.#search.button(strings) : undefined,
          // Where the room keeps levels for the user: not in ephemeral rooms, nor once out of the room.
          bell:
            room?.room && room.room.options.ephemeral !== true && !disabled
              ? { open: this._showNotify, off: level === 'none', onToggle: this.#toggleNotify }
              : undefined,
        })}
        ${renderBanner({
          strings,
          removed: this._removed,
          _removedText: this.#session.removal,
          _deviceRemoved: this.#session.deviceRemoved,
          ended: this._ended,
          signedOut: connection.signedOut,
          error: error && errorText(strings, error),
          offline: connection.state === ConnectionState.RECONNECTING || connection.state === ConnectionState.DISCONNECTED,
          connecting: connection.state === ConnectionState.CONNECTING || connection.state === 'idle',
        })}
        ${this.#calls.render('banner')} ${this.#calls.render('view')} ${this.#pins.bar()} ${this.#questions.tab()}
        <div class="body">
          ${renderRoomLog({
            room,
            _shown: shown,
            _notices: this.#session._notices,
            disabled,
            _closed: this._removed || this._ended,
            loadingOlder: this._loadingOlder,
            ui,
            strings,
            _formats: formatsFor(this.#lang()),
            _textLang: languagesOf(this.#lang()).text,
            _files: this.#files,
            _more: this.#pins.action,
            _extra: (m, tab, own) => [this.#previews(m, tab, own), this.#polls.card(m, tab)],
            _fail: this.#fail,
            _onScroll: this.#scroll._onScroll,
            _onFocusIn: this.#onLogFocus,
          })}
          ${
            this._showMembers && !direct
              ? this.#panels.people(room, members, strings, when, this.#closeMembers, (member) => ({
                  call: this.#calls.render('member', member),
                  moderation: disabled ? undefined : this.#moderation.card(member, strings),
                }))
              : nothing
          }
          ${this.#threads.render(disabled)} ${disabled ? nothing : this.#moderation.menu()} ${this.#search.panel()}
          ${this._showNotify && room ? this.#panels.notify(room, strings, this.#toggleNotify, this.#push()) : nothing}
          ${this.#questions.panel(disabled)}
          <p id="log-hint" class="visually-hidden">${strings.logHint}</p>
        </div>
        ${renderJumpLatest(strings, this._newBelow, shown.window !== undefined, this.#scroll._jumpToBottom)}
        ${this.#liveReactions(disabled)} ${this.#polls.entry(disabled)} ${renderTyping(strings, this._typing, room?.typingCount ?? 0)}
        <div class="note" role="status">${this._note}</div>
        ${renderComposer({
          strings,
          disabled,
          _canSend: (text) => this.#sender._canSend(text),
          _onSend: (text, mentions) => this.#sender.send(text, mentions),
          uploads,
          _onTyping: (active) => this.#session.room?.typing(active),
          picker: this.#picker,
          people: members,
          selfId: room?.self?.id,
          _replying: ui._replying(strings),
          _onCancelReply: () => ui.cancelReply(),
          _commandList: room?.commands ?? [],
          blocked: disabled
            ? undefined
            : (this.#limits.wakeAt(room.self?.muted?.until), composerBlock(room, strings, formatsFor(this.#lang()).time)),
        })}
        ${this._dropping ? this.#uploads.dropNotice(strings) : nothing} ${this.#viewer.render(strings)}
      </section>
    `;
  }

  #composerOff = (): boolean => (this.#focusLog ||= this.shadowRoot?.activeElement?.id === 'input');

  /** Fires `chat-error`, and shows the error in the banner unless `line` is false (the room session says it). */
  #fail = (error: ChatError, line?: boolean): void => this.#session.fail(error, line);

  /** Focus moved in the log: scrolling notes where it is, and the message controller moves its tab stop. */
  #onLogFocus = (event: FocusEvent): void => {
    this.#scroll.focused();
    this.#messages.focusin(event);
  };

  /** Opens the notifications menu with focus on the level chosen, or closes it with focus back on the bell. */
  #toggleNotify = (): void => {
    this._showNotify = !this._showNotify;
    this.#refocus = this._showNotify ? '#notify :checked' : '.bell';
  };

  #closeMembers = (): void => {
    this._showMembers = false;
    this.#refocus = '[aria-controls=members]';
  };

  #lang(): string {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en';
  }

  #strings(): ChatStrings {
    return stringsFor(this, this.#lang(), this.strings, (error) => this.#fail((this.#lostLanguage = error)));
  }
}
