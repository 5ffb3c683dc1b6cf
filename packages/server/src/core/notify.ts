import type { Message, Room } from '@chat/protocol';
import type { StoredUser } from './chat-store.js';

/**
 * Why a user is notified of a message: it was written in a direct room of theirs, it mentions
 * them, or it is a reply in a thread they take part in (wrote its parent or a reply).
 */
export type NotifyKind = 'direct' | 'mention' | 'thread';

/**
 * Why a user hears of a message: a direct room of theirs, a mention, a reply in a thread they
 * take part in, or a room they follow at level `all`.
 */
export type AwayReason = 'direct' | 'mention' | 'thread' | 'message';

/** Who hears of each stored message while away, with why (kernel/rooms/away-recipients.ts): one lookup per message for `notify` and push. */
export interface AwayLookup {
  /** `everyMessage`: with the members at level `all` too (push, a plugin); by default as the server's options want. */
  of(room: Room, message: Message, everyMessage?: boolean): Promise<Map<string, AwayReason>>;
}

/** What the `notify` hook is told. */
export interface NotifyEvent {
  kind: NotifyKind;
  message: Message;
  /** The room as the server sees it (with `privateMetadata`). */
  room: Room;
}

/**
 * The `notify` option: called for a direct message or a mention to a user with no connected
 * socket (on any process), so that the host sends an email or a push notification.
 */
export type Notify = (user: StoredUser, event: NotifyEvent) => void | Promise<void>;
