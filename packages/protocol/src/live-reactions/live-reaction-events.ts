// Live reactions (the `liveReactions()` plugin of @chat/server): a viewer's emoji, never stored,
// summed per room and sent back as at most 4 bursts a second.
import type { Ack } from '../ack.js';

/** `live-reaction:send`: one reaction to what is happening in a room now. */
export interface LiveReactionSendPayload {
  roomId: string;
  /** One of the room's reactions (`LiveReactionsJoin.emojis`). */
  emoji: string;
}

/** `live-reaction:burst`: the reactions sent in a room since the last burst, summed on every process, by emoji. */
export interface LiveReactionBurst {
  roomId: string;
  /** How many of each emoji (only those sent: every count is at least 1). */
  counts: Record<string, number>;
}

/** What the live-reactions plugin adds to a room's join answer: `room.plugins['live-reactions']`. */
export interface LiveReactionsJoin {
  /** The reactions a viewer may send, in the order a reaction bar shows them. */
  emojis: string[];
  /** How many reactions one user may send a second. */
  perUserPerSecond: number;
}

/** The client -> server events of live reactions. */
export interface LiveReactionClientEvents {
  'live-reaction:send': (payload: LiveReactionSendPayload, ack: Ack<Record<string, never>>) => void;
}

/** The server -> client events of live reactions. */
export interface LiveReactionServerEvents {
  'live-reaction:burst': (event: LiveReactionBurst) => void;
}
