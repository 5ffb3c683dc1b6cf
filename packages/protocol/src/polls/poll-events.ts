// Polls (the `polls()` plugin of @chat/server): a question with 2 to 10 options posted as a message
// of the room; members vote, change their vote, and see exact counts; its creator or a moderator
// closes it.
import type { Ack } from '../ack.js';
import type { Message } from '../types.js';

/** `poll:create`: posts a poll as a message of the room (`clientId` makes a resend safe). */
export interface PollCreatePayload {
  roomId: string;
  clientId: string;
  question: string;
  /** The options' texts, 2 to 10, each given an id by its place (`'0'`, `'1'`...). */
  options: string[];
  /** @default false */
  multiple?: boolean;
  /** @default false */
  anonymous?: boolean;
  /** When it closes by itself (ISO 8601, in the future). */
  closesAt?: string;
}

/** `poll:vote`: the voter's choices, replacing any earlier ones (`[]`: the vote is taken back). */
export interface PollVotePayload {
  roomId: string;
  messageId: string;
  /** One option on a poll that is not `multiple`; none to withdraw. */
  optionIds: string[];
}

/** `poll:close`: closes a poll (its creator, or the room's owners and moderators). */
export interface PollClosePayload {
  roomId: string;
  messageId: string;
}

/** A voter's own choices in one poll: the `poll:vote` ack. */
export interface PollMyVotes {
  roomId: string;
  messageId: string;
  myVotes: string[];
}

/** What the polls plugin adds to a room's join answer (`plugins.polls`): the joining user's choices by poll message id. */
export interface PollsJoin {
  myVotes: Record<string, string[]>;
}

/** The poll's message, as stored now (`poll:create`, `poll:close`). */
export interface PollMessageResult {
  message: Message;
}

/** The client -> server events of polls. */
export interface PollClientEvents {
  'poll:create': (payload: PollCreatePayload, ack: Ack<PollMessageResult>) => void;
  'poll:vote': (payload: PollVotePayload, ack: Ack<PollMyVotes>) => void;
  'poll:close': (payload: PollClosePayload, ack: Ack<PollMessageResult>) => void;
}

/** `polls:updated`: a user's choices in a room's polls, all of them as the join answer has them. */
export interface PollsUpdated extends PollsJoin {
  roomId: string;
}

/** The server -> client events of polls (counts come by `message:updated`). */
export interface PollServerEvents {
  /**
   * A user voted (on any of their devices): their choices in the room's polls, to every socket of
   * that user only. In the shape of the join answer, so the SDK keeps `room.plugins.polls` with it.
   */
  'polls:updated': (event: PollsUpdated) => void;
}
