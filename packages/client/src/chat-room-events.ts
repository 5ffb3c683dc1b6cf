import type { ChatError, Message, PublicRoom, ReadState, RoomRemovedEvent, RoomRemovedReason, UserRef } from '@chat/protocol';
import type { Call } from './calls/call.js';
import type { Discontinuity, PresenceChange } from './core/room-types.js';

/** Events of a {@link ChatRoom}. */
export interface ChatRoomEvents {
  /** A new message: live, caught up after a reconnect, or your own once stored. Never twice. */
  message: (message: Message) => void;
  /**
   * A message held in `messages` changed (edited, deleted, reacted to): live, by the ack of your
   * own change, or caught up after a reconnect. Carries the new copy; never an older one.
   */
  messageUpdated: (message: Message) => void;
  presence: (change: PresenceChange) => void;
  /**
   * Who is typing now, yourself left out. Past a few typists `users` names the first few and
   * `count` says how many are typing ("several people are typing").
   */
  typing: (users: UserRef[], count: number) => void;
  /**
   * A read mark moved: another member's (read receipts, in rooms of at most 50 stored members)
   * or your own (`markRead()` here or on another device). A sent message moves its sender's mark
   * without this event.
   */
  read: (read: ReadState) => void;
  /** Anything a view shows changed: messages, members, outbox, room, read marks. */
  updated: () => void;
  ended: (room: PublicRoom) => void;
  /**
   * The server took you out of the room: it was made private to others, the host removed you, or a
   * moderator kicked or banned you (`event.message` is their reason, `event.until` a ban's end).
   */
  removed: (reason: RoomRemovedReason, event: RoomRemovedEvent) => void;
  /** Some messages cannot be had (see {@link Discontinuity}); tell the user. */
  discontinuity: (event: Discontinuity) => void;
  /** A call came into view in this room: it rings you, or goes on without you (`call.state` says which). Not your own. */
  call: (call: Call) => void;
  error: (error: ChatError) => void;
}
