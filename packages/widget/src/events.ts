import type { ChatError, Member, Message, RoomSummary } from '@chat/client';

/** Options every widget event is created with: it bubbles out of the shadow root. */
const INIT = { bubbles: true, composed: true } as const;

/** A new message arrived (or yours was stored). */
export class ChatMessageEvent extends CustomEvent<{ message: Message; own: boolean }> {
  constructor(detail: { message: Message; own: boolean }) {
    super('chat-message', { ...INIT, detail });
  }
}
/** The widget joined its room. */
export class ChatJoinEvent extends CustomEvent<{ roomId: string; members: Member[] }> {
  constructor(detail: { roomId: string; members: Member[] }) {
    super('chat-join', { ...INIT, detail });
  }
}
/** Something went wrong (refused connection, failed send, ended room...). */
export class ChatErrorEvent extends CustomEvent<{ error: ChatError }> {
  constructor(detail: { error: ChatError }) {
    super('chat-error', { ...INIT, detail });
  }
}
/** The server's unread counts of one room: messages of others after your read mark, and of them those that mention you. */
export interface RoomUnread {
  roomId: string;
  unread: number;
  mentions: number;
  /** A private conversation (a direct room). */
  direct: boolean;
}
/** What `chat-unread` carries. */
export interface UnreadDetail {
  /** Unread messages in the widget's room and in your private conversations together. */
  count: number;
  /** Of them, those that mention you. */
  mentions: number;
  /** Per room: the widget's room first, then each private conversation. */
  rooms: RoomUnread[];
}
/**
 * The unread counts changed (the server's, the same on every device): messages that arrived
 * while the page was hidden or the list scrolled up, in private conversations, or were read.
 */
export class ChatUnreadEvent extends CustomEvent<UnreadDetail> {
  constructor(detail: UnreadDetail) {
    super('chat-unread', { ...INIT, detail });
  }
}
/**
 * `<chat-inbox>`: a conversation was chosen. Cancel it (`preventDefault()`) to show the room
 * elsewhere; otherwise the inbox shows it in its own `<chat-room>`.
 */
export class ChatOpenEvent extends CustomEvent<{ roomId: string; conversation: RoomSummary }> {
  constructor(detail: { roomId: string; conversation: RoomSummary }) {
    super('chat-open', { ...INIT, cancelable: true, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'chat-message': ChatMessageEvent;
    'chat-join': ChatJoinEvent;
    'chat-error': ChatErrorEvent;
    'chat-unread': ChatUnreadEvent;
    'chat-open': ChatOpenEvent;
  }
}
