// A poll as a message carries it (`Message.poll`, the `polls()` plugin of @chat/server), and its
// bounds. Apart from the poll's events so that the message type imports nothing that imports it.

/** The bounds of a poll, checked by the server (`VALIDATION_FAILED` naming the field). */
export const POLL_LIMITS = {
  /** Fewest options a poll has. */
  minOptions: 2,
  /** Most options a poll has. */
  maxOptions: 10,
  /** Longest question, in characters. */
  question: 300,
  /** Longest option text, in characters. */
  option: 100,
  /** Voters' ids an option of a poll that is not anonymous lists (the first to vote for it). */
  voterIds: 10,
} as const;

/** One option of a poll, with its exact count. */
export interface PollOption {
  /** The option's id within its poll (`'0'`, `'1'`...): what `poll:vote` names. */
  id: string;
  text: string;
  /** How many voters chose it now, over every process: exact. */
  votes: number;
  /**
   * Who chose it, first voters first, at most `POLL_LIMITS.voterIds` of them; absent on an
   * anonymous poll, whose voters no one is ever told.
   */
  voterIds?: string[];
}

/** A poll as a message carries it (`Message.poll`). */
export interface Poll {
  question: string;
  options: PollOption[];
  /** Whether a voter may choose several options. */
  multiple: boolean;
  /** Whether voters stay unknown to everyone, moderators included. */
  anonymous: boolean;
  /** True once closed (`poll:close`, or `closesAt` passed): no more votes. */
  closed: boolean;
  /** When it closes by itself (ISO 8601), when its creator said. */
  closesAt?: string;
  /**
   * The reading user's own choices. `[]` in what the whole room gets (`message`,
   * `message:updated`, history): a voter's own are in the `poll:vote` ack, in `polls:updated` to
   * their other devices and in the join answer (`PollsJoin.myVotes`).
   */
  myVotes: string[];
}
