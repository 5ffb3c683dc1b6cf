// The room's message log: the scrolling region (`role="log"`) and the message list of the room shown in it.
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatError, ChatRoom, Message } from '@chat/client';
import type { Formats } from '../formats.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { FileShow } from './attachments.js';
import { renderMessageList, type MessageUi, type Notice } from './message-list.js';

/** What the log asks of the message controller: the list's controls, and the log's keys, focus and context menu. */
interface RoomLogUi extends MessageUi {
  /** Names of the users the widget knows (who reacted). */
  names(): ReadonlyMap<string, string>;
  /** A reaction pressed or taken back that the server has not confirmed yet. */
  pressed(message: Message, emoji: string): boolean | undefined;
  keydown: (event: KeyboardEvent) => void;
  focusout: (event: FocusEvent) => void;
  contextmenu: (event: MouseEvent) => void;
}

/** What the log needs to render. */
export interface RoomLogView {
  /** The room shown, once joined: without it the log is empty. */
  room: ChatRoom | undefined;
  /** The messages drawn, every loaded one, whether older ones exist, and whether the room's beginning is reached. */
  _shown: { messages: readonly Message[]; all: readonly Message[]; more: boolean; atBeginning: boolean };
  _notices: readonly Notice[];
  /** The room can no longer be written to (ended, removed, signed out). */
  disabled: boolean;
  /** The room ended or you were taken out of it: a failed message offers Discard only. */
  _closed: boolean;
  loadingOlder: boolean;
  ui: RoomLogUi;
  strings: ChatStrings;
  _formats: Formats;
  /** The page's language, given to message text when the widget's own texts are in another. */
  _textLang: string | undefined;
  _files: FileShow;
  /** A feature's own action on a message (a moderator's "Pin"). */
  _more?: ((message: Message, tab: number) => unknown) | undefined;
  /** What features draw under a message (link previews). */
  _extra?: ((message: Message, tab: number, own: boolean) => unknown) | undefined;
  _fail: (error: ChatError) => void;
  _onScroll: () => void;
  _onFocusIn: (event: FocusEvent) => void;
}

/** The log of the room shown: a keyboard-navigable region around its message list. */
export function renderRoomLog(view: RoomLogView): TemplateResult {
  const { room, _shown: shown, ui, strings, _formats: formats } = view;
  return html`
    <div
      part="log"
      class="log"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label=${strings.messagesLabel}
      tabindex=${shown.messages.length ? -1 : 0}
      @scroll=${view._onScroll}
      @keydown=${ui.keydown}
      @focusin=${view._onFocusIn}
      @focusout=${ui.focusout}
      @contextmenu=${ui.contextmenu}
    >
      ${
        room
          ? renderMessageList({
              // What the list reads under the same names (_notices, ui, strings, _textLang, _files, _extra, loadingOlder).
              ...view,
              messages: shown.messages,
              all: shown.all,
              more: shown.more,
              outbox: room.outbox,
              selfId: room.self?.id,
              moderator: room.canModerate && !view.disabled,
              _more: view.disabled ? undefined : view._more,
              selfName: room.self?.name,
              names: ui.names(),
              reacted: (message, emoji) => ui.pressed(message, emoji) ?? room.reactedBy(message, emoji) === true,
              threadUnread: (message) => room.threadUnreadOf(message.id),
              lang: formats.lang,
              _timeFormat: formats.time,
              _dayFormat: formats.day,
              _atBeginning: shown.atBeginning,
              _onRetry: view._closed ? undefined : (id) => void room.retry(id).catch((e: ChatError) => view._fail(e)),
              _onDiscard: (id) => room.discard(id),
            })
          : nothing
      }
    </div>
  `;
}
