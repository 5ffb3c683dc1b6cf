import type { Member, UserRef } from '@chat/protocol';
import { nameSkeleton } from './name-skeleton.js';

/** The result of adding a socket to a room's presence. */
export interface PresenceAdd {
  member: Member;
  /** True when the user was not in the room on any socket before (the user joined). */
  joined: boolean;
}

/**
 * Who is in which room: one member per user however many sockets (and processes), names
 * unique per room. The default keeps it in this process; `redisCluster` keeps it in Redis.
 */
export interface PresenceRegistry {
  /** Adds a socket of `user`; `NAME_TAKEN` when another user in the room has the same name. */
  add(roomId: string, socketId: string, user: UserRef): Promise<PresenceAdd>;
  /** Removes a socket; returns the member when it was the user's last socket anywhere. */
  remove(roomId: string, socketId: string, userId: string): Promise<Member | undefined>;
  /** Everyone in the room now. */
  members(roomId: string): Promise<Member[]>;
  /** The current entries of some users; absent users are missing from the map. */
  lookup(roomId: string, userIds: string[]): Promise<Map<string, Member>>;
  close(): Promise<void> | void;
}

/** Names compare by their look: without case, invisible characters or look-alike letters (see {@link nameSkeleton}). */
export function nameKey(name: string): string {
  return nameSkeleton(name);
}
