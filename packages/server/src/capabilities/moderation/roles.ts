import { builtInError, ID_LIMITS, MemberRole, type ChatUser, type Restriction, type Room } from '@chat/protocol';
import type { RoomStanding } from '../../core/moderation-records.js';
import { isAdmin } from '../../core/admin.js';

export { isAdmin };

/**
 * How much a user may do in a room, as a number: each rank may act on lower ranks only. The
 * host's own code (the server API) is above everyone; admins (`ChatUser.roles` has `admin`)
 * moderate every room; then the room's owners, moderators and members.
 */
export const Rank = {
  MEMBER: 0,
  MODERATOR: 1,
  OWNER: 2,
  ADMIN: 3,
  HOST: 4,
} as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

/** The role that names the rank, in messages to people. */
const RANK_NAMES: Record<Rank, string> = {
  [Rank.MEMBER]: 'a member',
  [Rank.MODERATOR]: 'a moderator',
  [Rank.OWNER]: 'an owner',
  [Rank.ADMIN]: 'an admin',
  [Rank.HOST]: 'the server',
};

/**
 * The user's role in the room: the role set for them, else `owner` for the room's creator, else
 * `member`. Nobody owns a direct room, whoever opened it.
 */
export function roomRole(room: Pick<Room, 'createdBy' | 'options'>, userId: string, standing: RoomStanding | undefined): MemberRole {
  if (standing?.role) return standing.role;
  if (room.options.direct === true) return MemberRole.MEMBER;
  return room.createdBy !== undefined && room.createdBy === userId ? MemberRole.OWNER : MemberRole.MEMBER;
}

/** The rank of a room role. */
export function roleRank(role: MemberRole): Rank {
  return role === MemberRole.OWNER ? Rank.OWNER : role === MemberRole.MODERATOR ? Rank.MODERATOR : Rank.MEMBER;
}

/**
 * The rank of a signed-in user in a room (admins everywhere). A ban in force ends what a role
 * allowed: a banned moderator or owner is a member (who is refused anyway) on every path.
 */
export function userRank(
  room: Pick<Room, 'createdBy' | 'options'>,
  user: Pick<ChatUser, 'id' | 'roles'>,
  standing: RoomStanding | undefined,
): Rank {
  if (isAdmin(user)) return Rank.ADMIN;
  if (inForce(standing?.ban)) return Rank.MEMBER;
  return roleRank(roomRole(room, user.id, standing));
}

/** "a moderator", "an owner": for sentences. */
export function rankName(rank: Rank): string {
  return RANK_NAMES[rank];
}

/** Whether a ban or mute holds at `now` (one whose `until` has passed does not). */
export function inForce(restriction: Restriction | undefined, now = Date.now()): restriction is Restriction {
  return restriction !== undefined && (restriction.until === undefined || Date.parse(restriction.until) > now);
}

/** A ban's or mute's end as given (ISO string or Date), checked and written as ISO 8601 UTC; undefined stays (until lifted). */
export function checkUntil(until: string | Date | undefined, now = Date.now()): string | undefined {
  if (until === undefined) return undefined;
  const time = until instanceof Date ? until.getTime() : typeof until === 'string' ? Date.parse(until) : Number.NaN;
  if (Number.isNaN(time)) throw builtInError('VALIDATION_FAILED', 'until must be an ISO 8601 date and time, such as 2026-12-01T18:00:00Z.');
  if (time <= now)
    throw builtInError('VALIDATION_FAILED', 'until must be in the future. Leave it out for a ban or mute that lasts until lifted.');
  if (time - now > ID_LIMITS.restrictionMs) {
    const years = Math.round(ID_LIMITS.restrictionMs / 31_536_000_000);
    throw builtInError(
      'VALIDATION_FAILED',
      `A ban or mute can last at most ${years} years. Leave until out for one that lasts until lifted.`,
    );
  }
  return new Date(time).toISOString();
}

/** " until 2026-12-01T18:00:00.000Z" or "": the end of a restriction, for sentences. */
export function untilText(restriction: Restriction): string {
  return restriction.until === undefined ? '' : ` until ${restriction.until}`;
}
