import type { Member, PresenceStatus, UserRef } from '@chat/protocol';
import { nameSkeleton } from './name-skeleton.js';

/** The result of adding a socket to a room's presence. */
export interface PresenceAdd {
  member: Member;
  /** True when the user was not in the room on any socket before (the user joined). */
  joined: boolean;
}

/** A room's exact member count and when it was read (of two counts, the larger `at` is newer). */
export interface MemberCount {
  count: number;
  at: number;
}

/** A page of a room's members and the cursor of the next page (absent: the last page). */
export interface MemberPage {
  members: Member[];
  next?: string;
}

/** What a user online (on any process) says about themselves. */
export interface UserStatus {
  status: PresenceStatus;
  statusText?: string;
}

/**
 * Who is in which room: one member per user however many sockets (and processes), names
 * unique per room; and who is online at all, with the status they set. The default keeps it
 * in this process; `redisCluster` keeps it in Redis.
 */
export interface PresenceRegistry {
  /** Adds a socket of `user`; `NAME_TAKEN` when another user in the room has the same name. */
  add(roomId: string, socketId: string, user: UserRef): Promise<PresenceAdd>;
  /** Removes a socket; returns the member when it was the user's last socket anywhere. */
  remove(roomId: string, socketId: string, userId: string): Promise<Member | undefined>;
  /** Everyone in the room now. */
  members(roomId: string): Promise<Member[]>;
  /** How many members the room has now (every process's), and when that was read. */
  count(roomId: string): Promise<MemberCount>;
  /**
   * Up to `limit` members after the cursor `after` (the `next` of the page before; absent: the
   * first page). `VALIDATION_FAILED` for a cursor this registry did not give.
   */
  page(roomId: string, after: string | undefined, limit: number): Promise<MemberPage>;
  /** The current entries of some users; absent users are missing from the map. */
  lookup(roomId: string, userIds: string[]): Promise<Map<string, Member>>;
  /**
   * Counts a connected socket of `user`, whatever rooms it joins. `first` when the user had no
   * socket anywhere before (their status then starts as `online`, without text).
   */
  connect(socketId: string, user: UserRef): Promise<{ first: boolean }>;
  /** Stops counting a socket; true when it was the user's last socket anywhere (their status goes with it). */
  disconnect(socketId: string, userId: string): Promise<boolean>;
  /** Sets the status of a user who is online (on every socket and room); false when the user is not online. */
  setStatus(userId: string, status: UserStatus): Promise<boolean>;
  /** The users among these who are online now, with their status. */
  online(userIds: string[]): Promise<Map<string, UserStatus>>;
  /** The users among these with a connected socket that has not joined `roomId`. */
  outside(roomId: string, userIds: string[]): Promise<string[]>;
  close(): Promise<void> | void;
}

/** Names compare by their look: without case, invisible characters or look-alike letters (see {@link nameSkeleton}). */
export function nameKey(name: string): string {
  return nameSkeleton(name);
}
