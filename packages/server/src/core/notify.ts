import type { Message, Room } from '@chat/protocol';
import type { StoredUser } from './chat-store.js';

/** Why a user is notified of a message: it was written in a direct room of theirs, or it mentions them. */
export type NotifyKind = 'direct' | 'mention';

/** Why a user hears of a message: a direct room of theirs, a mention, or a room they follow at level `all`. */
export type AwayReason = 'direct' | 'mention' | 'message';

/** Who hears of each stored message while away, with why (kernel/rooms/away-recipients.ts): one lookup per message for `notify` and push. */
export interface AwayLookup {
  of(room: Room, message: Message): Promise<Map<string, AwayReason>>;
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
