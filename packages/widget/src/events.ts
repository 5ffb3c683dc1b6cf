import type { ChatError, Member, Message } from '@chat/client';

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
/**
 * The unread count changed (messages that arrived while hidden or scrolled up): `count` messages,
 * `mentions` of them mentioning you.
 */
export class ChatUnreadEvent extends CustomEvent<{ count: number; mentions: number }> {
  constructor(detail: { count: number; mentions: number }) {
    super('chat-unread', { ...INIT, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'chat-message': ChatMessageEvent;
    'chat-join': ChatJoinEvent;
    'chat-error': ChatErrorEvent;
    'chat-unread': ChatUnreadEvent;
  }
}
