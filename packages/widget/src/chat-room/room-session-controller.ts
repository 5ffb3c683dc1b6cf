import type { ReactiveControllerHost, TemplateResult } from 'lit';
import { ChatError, ErrorCode, RoomState, type ChatRoom, type ChatRoomEvents, type UserRef } from '@chat/client';
import { ChatErrorEvent, ChatJoinEvent, ChatMessageEvent } from '../events.js';
import { formatsFor } from '../formats.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { SealedFiles } from '../e2ee/sealed-files.js';
import { inSentence, QUOTE } from '../parts/in-sentence.js';
import type { Notice } from '../parts/message-list.js';
import type { ConnectionController } from './connection-controller.js';
import type { MessageController } from './message-controller.js';
import type { PrivateController } from './private-controller.js';
import { RENDER_STEP } from './scroll-controller.js';
import type { SendLimits } from './send-limits.js';

/** What `room.on('discontinuity')` reports. */
type Discontinuity = Parameters<ChatRoomEvents['discontinuity']>[0];

const MAX_NOTICES = 50;

/** The element that shows the room: its `room` attribute and the state it draws the room with. */
export interface RoomSessionHost extends ReactiveControllerHost, EventTarget {
  /** Where a part loaded later adds its styles. */
  readonly renderRoot: ParentNode;
  readonly room: string | undefined;
  /** In a document: a join that ends after the widget left the page is left again. */
  readonly isConnected: boolean;
  _typing: UserRef[];
  _error: ChatError | undefined;
  _ended: boolean;
  _removed: boolean;
  _newBelow: number;
  _showNotify: boolean;
  /** The people panel is open. */
  _showMembers: boolean;
  _renderLimit: number;
  _note: string;
}

/** What the session asks of the room view. */
export interface RoomSessionView {
  strings(): ChatStrings;
  /** The widget's language (for dates in a ban's line). */
  lang(): string;
  fail(error: ChatError): void;
}

/** The element's other parts that a room joined, left or changed reads and resets. */
export interface RoomSessionParts {
  connection: Pick<ConnectionController, 'client' | 'joined' | '_handleNameRefusal'>;
  /** The private conversation shown instead of the widget's room, if any; people's cards. */
  direct: Pick<PrivateController, 'shown' | '_openCard' | '_keyChanged'>;
  messages: Pick<MessageController, 'changed' | 'reset'>;
  uploads: { clear(): void };
  picker: { take(text: string): unknown };
  moderation: { reset(): void };
  limits: Pick<SendLimits, 'sent' | 'reset' | '_waitFor'>;
  scroll: { _stick: boolean; readonly _atBottom: boolean };
  /** The composer is about to be switched off. */
  _composerOff(): void;
}

/**
 * The room session of `<chat-room>`: joins the room wanted (the `room` attribute, or a private
 * conversation shown in its place), follows its events (messages, presence lines, typing, the
 * end of the room, being taken out, missing history) and leaves the rooms no longer wanted.
 * The quiet lines of the log (joins, gaps, a command's answer) are its notices.
 */
export class RoomSessionController {
  /** What a moderator's kick or ban says to the user taken out, read in the language shown now (a ban may come before it loaded). */
  #removal: ((strings: ChatStrings) => string | undefined) | undefined;
  /** What a moderator's kick or ban says to the user taken out (with its reason and end). */
  get removal(): string | undefined {
    return this.#removal?.(this.#view.strings());
  }
  /** In an encrypted room, when this device was removed by its user: the line that says so (from the e2ee chunk). */
  deviceRemoved: string | undefined;
  readonly #host: RoomSessionHost;
  readonly #view: RoomSessionView;
  readonly #parts: RoomSessionParts;
  /** The room of the `room` attribute, joined (it stays joined while a private conversation is shown). */
  #home: ChatRoom | undefined;
  #room: ChatRoom | undefined;
  #roomOffs: Array<() => void> = [];
  #joinAttempt = 0;
  #notices: Notice[] = [];
  /** An encrypted room's files, drawn by the e2ee chunk once an encrypted room loaded it. */
  _sealed: SealedFiles | undefined;
  #noticeId = 0;
  /**
   * People who were here before the connection dropped, and were not there when the widget
   * joined again: their return is not news (nor was their absence: they were reconnecting too).
   */
  #quiet = new Set<string>();
  #lastError: ChatError | undefined;

  constructor(host: RoomSessionHost, view: RoomSessionView, parts: RoomSessionParts) {
    this.#host = host;
    this.#view = view;
    this.#parts = parts;
  }

  /** The room shown now, once joined. */
  get room(): ChatRoom | undefined {
    return this.#room;
  }

  /** The widget's own room (the `room` attribute), joined. */
  get home(): ChatRoom | undefined {
    return this.#home;
  }

  /** The quiet lines of the log. */
  get _notices(): readonly Notice[] {
    return this.#notices;
  }

  /** Joins the room wanted now (a private conversation shown, else the `room` attribute), leaving those no longer wanted. */
  join(): void {
    const host = this.#host;
    const parts = this.#parts;
    const attempt = ++this.#joinAttempt;
    const target = parts.direct.shown ?? host.room;
    // Rooms no longer wanted are left: the widget's room stays joined while a private conversation is shown.
    for (const left of new Set([this.#room, this.#home])) {
      if (left && left.id !== host.room && left.id !== target) void left.leave().catch(() => undefined);
    }
    if (this.#home?.id !== host.room) this.#home = undefined;
    this.#detach();
    const client = parts.connection.client;
    if (!client || !target) return;
    client.join(target).then(
      (room) => {
        if (attempt === this.#joinAttempt) return this.#attach(room);
        // Not wanted any more (another room, or the widget left the page while it joined): a
        // room no one shows is left, unless the widget wants it again (joins give the same room).
        const wanted = host.room === room.id || parts.direct.shown === room.id;
        if (!(host.isConnected && parts.connection.client === client && wanted)) void room.leave().catch(() => undefined);
      },
      (error: ChatError) => {
        if (attempt !== this.#joinAttempt) return;
        if (!parts.connection._handleNameRefusal(error)) this.#view.fail(error);
      },
    );
  }

  #attach(room: ChatRoom): void {
    const host = this.#host;
    const parts = this.#parts;
    this.#room = room;
    if (room.id === host.room) this.#home = room;
    parts.connection.joined();
    host._error = undefined;
    host._ended = false;
    host._removed = false;
    this.#removal = undefined;
    parts.scroll._stick = true;
    // "New messages" above the first message that was unread when the room was opened (the
    // server's read mark: right after a reload too). A first visit to a room is all new: no line.
    const others = room.messages.some((m) => m.seq > room.readSeq && m.user.id !== room.self?.id);
    if (others && (room.readSeq > 0 || room.room?.options.direct)) this._notice(this.#view.strings().unreadDivider, room.readSeq, 'new');
    this.#roomOffs.push(
      room.on('updated', () => host.requestUpdate()),
      room.on('message', (message) => {
        const own = message.user.id === room.self?.id;
        host.dispatchEvent(new ChatMessageEvent({ message, own }));
        if (own) {
          parts.scroll._stick = true;
          parts.limits.sent(room);
          return;
        }
        if (!parts.scroll._atBottom) host._newBelow++;
      }),
      room.on('messageUpdated', (message) => {
        parts.messages.changed(message);
        host.requestUpdate();
      }),
      room.on('presence', ({ joined, left }) => {
        // A large room names a few of its arrivals each second: lines of them would be noise.
        if (room.isLarge) return;
        const lastSeq = room.messages.at(-1)?.seq ?? 0;
        const strings = this.#view.strings();
        // Joined again after a dropped connection (SYNCING): who is not there is only news
        // if they do not come back, and who was there before and comes back is no news.
        const resync = room.state === RoomState.SYNCING;
        for (const m of joined)
          if (m.id !== room.self?.id && !this.#quiet.delete(m.id)) this._notice(inSentence(strings.joined(QUOTE), m.name), lastSeq);
        for (const m of left) {
          if (m.id === room.self?.id) continue;
          if (resync) this.#quiet.add(m.id);
          else this._notice(inSentence(strings.left(QUOTE), m.name), lastSeq);
        }
      }),
      room.on('typing', (users) => (host._typing = users)),
      room.on('ended', () => (host._ended = true)),
      room.on('removed', (reason, event) => {
        parts._composerOff();
        this.#removal = (strings) =>
          reason === 'banned'
            ? strings.bannedLine(event.until && formatsFor(this.#view.lang()).when(event.until), event.message)
            : reason === 'kicked'
              ? strings.kickedLine(event.message)
              : undefined;
        host._removed = true;
        host._typing = [];
        host.dispatchEvent(new ChatErrorEvent({ error: new ChatError(ErrorCode.FORBIDDEN, 'You no longer have access to this room.') }));
      }),
      room.on('discontinuity', (event) => this.#discontinuity(room, event)),
    );
    const client = parts.connection.client;
    // Key changes and files: the e2ee chunk (chat-room.e2ee.js), which the SDK loaded for this room already.
    if (room.encrypted && client) {
      const attempt = this.#joinAttempt;
      // It cannot fail here: without that file the room would not have joined (the SDK says why).
      void import('../e2ee/e2ee-room.js').then(
        (m) => {
          this._sealed ??= new m.SealedFiles(this.#keyView);
          if (attempt === this.#joinAttempt) {
            this.#roomOffs.push(m.watchKeyChanges(client, room, this.#keyView), m.watchRemoval(client, this.#keyView));
          }
          host.requestUpdate();
        },
        () => undefined,
      );
    }
    host.dispatchEvent(new ChatJoinEvent({ roomId: room.id, members: room.members }));
    host.requestUpdate();
  }

  #detach(): void {
    const host = this.#host;
    const parts = this.#parts;
    for (const off of this.#roomOffs.splice(0)) off();
    this.#room = undefined;
    parts.messages.reset();
    parts.uploads.clear();
    this.#quiet.clear();
    parts.picker.take('');
    parts.moderation.reset();
    parts.limits.reset();
    host._note = '';
    this.deviceRemoved = undefined;
    this.#notices = [];
    host._typing = [];
    host._newBelow = 0;
    host._renderLimit = RENDER_STEP;
    host._showNotify = false;
  }

  /** The connection is going: a join under way no longer counts, and the room goes back to it to leave. */
  drop(): ChatRoom | undefined {
    this.#joinAttempt++;
    const room = this.#room;
    const home = this.#home;
    this.#home = undefined;
    // A private conversation was shown: the widget's room (joined behind it) goes too.
    if (home && home !== room) void home.leave().catch(() => undefined);
    this.#detach();
    return room;
  }

  /** Messages are missing for good (a line where they are), or the history started over (the log starts over too). */
  #discontinuity(room: ChatRoom, event: Discontinuity): void {
    const host = this.#host;
    const parts = this.#parts;
    const strings = this.#view.strings();
    if (event.reason === 'gap') {
      this._notice(strings.gap, event.after ?? room.messages.at(-1)?.seq ?? 0, 'gap');
      return;
    }
    // The notices were placed by seqs of the old history: they would land among the new one.
    this.#notices = [];
    host._newBelow = 0;
    host._renderLimit = RENDER_STEP;
    parts.scroll._stick = true;
    this._notice(strings.historyReset, 0, 'reset');
  }

  /** What the e2ee chunk's key changes and files ask of the room view. */
  readonly #keyView = {
    _element: () => this.#host,
    _client: () => this.#parts.connection.client,
    _lang: () => this.#view.lang(),
    _strings: () => this.#view.strings(),
    _notice: (line: TemplateResult, afterSeq: number) => this._notice(line, afterSeq, 'line'),
    _openCard: (userId: string) => {
      this.#host._showMembers = true;
      this.#parts.direct._openCard(userId);
    },
    _keyChanged: (userId: string) => this.#parts.direct._keyChanged(userId),
    _deviceRemoved: (line: string) => {
      this.deviceRemoved = line;
      this.#host.requestUpdate();
    },
  };

  _notice(text: Notice['text'], afterSeq: number, kind?: Notice['kind']): void {
    this.#notices = [...this.#notices, { id: ++this.#noticeId, text, _afterSeq: afterSeq, ...(kind && { kind }) }].slice(-MAX_NOTICES);
    this.#host.requestUpdate();
  }

  /** Fires `chat-error`, and shows the error in the banner unless `line` is false. */
  fail(error: ChatError, line = true): void {
    const host = this.#host;
    // A refused connection reaches us twice, as the client's `error` and as the join it fails.
    if (error === this.#lastError) return;
    this.#lastError = error;
    // Slow mode (or too many requests): the status line counts down; the banner is for what stops the chat.
    if (error.code === ErrorCode.RATE_LIMITED && error.retryAfter !== undefined) {
      this.#parts.limits._waitFor(error.retryAfter);
      line = false;
    }
    // Refused on join: say so as a kick or ban says it, in the widget's language.
    if (error.code === ErrorCode.BANNED) {
      this.#removal = (strings) => strings.bannedLine(error.until && formatsFor(this.#view.lang()).when(error.until), undefined);
      host._removed = true;
      line = false;
    }
    if (line) host._error = error;
    host.dispatchEvent(new ChatErrorEvent({ error }));
  }
}
