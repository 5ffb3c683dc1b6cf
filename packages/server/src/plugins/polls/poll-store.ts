// What polls keep (the store part `PollStore`): each poll's options and state, and each voter's
// current choices. Counts are never kept as numbers: they are counted from the votes, so they are
// exact whichever process took a vote. The poll as the room sees it is on its message (`Message.poll`).

/** A poll as kept: its message, who made it, its options and whether it still takes votes. */
export interface StoredPoll {
  roomId: string;
  /** The id of the message that carries it (unique across rooms). */
  messageId: string;
  /** Who made it (a user id): they may close it. */
  createdBy: string;
  question: string;
  /** The options' texts, their ids being their places (`'0'`, `'1'`...). */
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  /** When it closes by itself (ISO 8601). */
  closesAt?: string;
  closed: boolean;
}

/** One voter's current choices in one poll (a withdrawn vote is no row). */
export interface StoredVote {
  roomId: string;
  messageId: string;
  userId: string;
  optionIds: string[];
  /** When this choice was made (ISO 8601). */
  votedAt: string;
}

/** One option's count, and its first voters (by when they made their current choice). */
export interface OptionCount {
  optionId: string;
  votes: number;
  voterIds: string[];
}

/** What a vote came to: taken, refused because the poll is closed, or no such poll. */
export type VoteOutcome = 'voted' | 'closed' | 'missing';

/** The store part of polls. */
export interface PollStore {
  /** Keeps a new poll; a poll of that message kept already stays as it is (a resent create). */
  create(poll: StoredPoll): Promise<void>;
  get(messageId: string): Promise<StoredPoll | null>;
  /**
   * Replaces the voter's choices with `optionIds` (`[]`: none, the vote withdrawn), in one step
   * with the check that the poll is open (not closed, `closesAt` not passed) on every process.
   */
  vote(vote: StoredVote): Promise<VoteOutcome>;
  /** Closes a poll; true when this closed it (false: closed already, or no such poll). */
  close(messageId: string): Promise<boolean>;
  /** Closes the open polls whose `closesAt` passed and answers them: each is answered to one caller only. */
  closeDue(): Promise<StoredPoll[]>;
  /** The counts of a poll's options that have votes, each with at most `voterIds` first voters. */
  counts(messageId: string, voterIds: number): Promise<OptionCount[]>;
  /** A user's choices in a room's polls, newest first, at most `limit` polls: by message id. */
  myVotes(roomId: string, userId: string, limit: number): Promise<Record<string, string[]>>;
  /** A user's choices in one poll (`[]`: none). */
  votesOf(messageId: string, userId: string): Promise<string[]>;
  /** Every vote a user has, in every room, newest first (their personal data). */
  votesByUser(userId: string): Promise<StoredVote[]>;
  /** Removes a user's votes everywhere; answers the polls whose counts changed. */
  eraseVoter(userId: string): Promise<Array<{ roomId: string; messageId: string }>>;
  /** Removes the polls a user made, with their votes (their messages are deleted by the erase). */
  eraseCreator(userId: string): Promise<void>;
  /** Removes a poll and its votes (its message was deleted). */
  drop(messageId: string): Promise<void>;
}
