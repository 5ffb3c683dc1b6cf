// What `room.polls` and its requests share: a poll to post, and what they need of the room.
import type { Message } from '@chat/protocol';
import type { PluginStateHost } from '../core/plugin-link.js';

/** A poll to post with `room.polls.create`. */
export interface PollInput {
  question: string;
  /** The options' texts, 2 to 10, each different. */
  options: string[];
  /** Whether a voter may choose several options. @default false */
  multiple?: boolean;
  /** Whether voters stay unknown to everyone, moderators included. @default false */
  anonymous?: boolean;
  /** When it closes by itself: an ISO 8601 time within a year (`date.toISOString()`). */
  closesAt?: string;
}

/** What `room.polls` reads and sets of its room: the plugins' state, and its log. */
export interface PollsStateHost extends PluginStateHost {
  /** @internal Adds a message to the room's log (none twice). */
  _receiveMessage(message: Message): void;
}
