// Pins (the `pins()` plugin of @chat/server): a room's owners and moderators pin a few messages
// (announcements, rules) that everyone in the room sees above its log.
import type { Ack } from '../ack.js';
import type { Message } from '../types.js';

/** `message:pin` and `message:unpin`: which message of which room. */
export interface PinPayload {
  roomId: string;
  messageId: string;
}

/** A room's pinned messages, newest pin first, each as stored now (edited, reactions...). */
export interface PinnedList {
  pinned: Message[];
}

/** `pins:updated`: a room's pinned list changed (a pin, an unpin, a pinned message edited or deleted). */
export interface PinsUpdated extends PinnedList {
  roomId: string;
}

/** What the pins plugin adds to a room's join answer (`plugins.pins`) and `GET /rooms/:id/pins` answers. */
export type PinsJoin = PinnedList;

/** The client -> server events of pins: the ack carries the room's list after the change. */
export interface PinClientEvents {
  'message:pin': (payload: PinPayload, ack: Ack<PinnedList>) => void;
  'message:unpin': (payload: PinPayload, ack: Ack<PinnedList>) => void;
}

/** The server -> client events of pins. */
export interface PinServerEvents {
  'pins:updated': (event: PinsUpdated) => void;
}
