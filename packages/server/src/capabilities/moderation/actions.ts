import {
  builtInError,
  AuditAction,
  MemberRole,
  parsePayload,
  type AuditEntry,
  type ChatUser,
  type Room,
  type RoomRemovedEvent,
  type UserRef,
} from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import type { AuditDraft, RoomStanding, StandingPatch } from '../../core/moderation-records.js';
import { hideDirectRoom, leaveAsMember } from '../../kernel/rooms/membership.js';
import { checkUntil, inForce, isAdmin, Rank, rankName, roleRank, roomRole, userRank } from './roles.js';
import { storeLacks } from '../../core/complete-store.js';

/** The actions on one user of a room. */
export const ModerationVerb = {
  KICK: 'kick',
  BAN: 'ban',
  UNBAN: 'unban',
  MUTE: 'mute',
  UNMUTE: 'unmute',
} as const;
export type ModerationVerb = (typeof ModerationVerb)[keyof typeof ModerationVerb];

/** Who acts: a signed-in user (whose rank is checked), or the host's own code (trusted). */
export interface ModerationActor {
  /** A member, moderator, owner or admin acting from a socket or REST: their rank decides. Absent: the host. */
  user?: ChatUser;
  /** For the host: who to record in the audit log. @default { id: 'server', name: 'Server' } */
  by?: UserRef;
}

/** What a kick, ban, unban, mute or unmute takes. */
export interface ModerationRequest {
  roomId: string;
  userId: string;
  /** Bans and mutes: when it ends (ISO 8601 or a Date, in the future, at most `ID_LIMITS.restrictionMs` away); absent: until lifted. */
  until?: string | Date;
  /** Why, shown to the user (kick, ban) and kept in the audit log. */
  reason?: string;
}

/** The actor the audit log names for the host's own actions. */
export const SERVER_ACTOR: UserRef = Object.freeze({ id: 'server', name: 'Server' });

const PHRASES: Record<ModerationVerb | 'role', string> = {
  kick: 'kick',
  ban: 'ban',
  unban: 'unban',
  mute: 'mute',
  unmute: 'unmute',
  role: 'change the role of',
};

/**
 * Kicks, bans, unbans, mutes or unmutes a user of a room, from the socket, REST or the server
 * API: checks the payload and the actor's rank against the target's, changes the standing,
 * takes the user's sockets out of the room on every process (kick, ban: `room:removed`), shows
 * mutes to the room (presence `updated`), and records the action in the audit log.
 */
export async function moderate(
  ctx: CapabilityContext,
  verb: ModerationVerb,
  request: ModerationRequest,
  actor: ModerationActor,
): Promise<AuditEntry> {
  const until = request.until instanceof Date ? dateText(request.until) : request.until;
  const checked = parsePayload(ctx.schemas[`moderation:${verb}`], {
    roomId: request.roomId,
    userId: request.userId,
    ...(until !== undefined && { until }),
    ...(request.reason !== undefined && { reason: request.reason }),
  });
  const restricts = verb === ModerationVerb.BAN || verb === ModerationVerb.MUTE;
  if (checked.until !== undefined && !restricts) {
    throw builtInError('VALIDATION_FAILED', `A ${verb} takes no until: only bans and mutes last until a time.`);
  }
  const end = restricts ? checkUntil(checked.until) : undefined;
  const room = await roomFor(ctx, checked.roomId);
  await checkRights(ctx, room, actor, checked.userId, verb, Rank.MODERATOR);
  const restriction = { ...(end !== undefined && { until: end }), ...(checked.reason !== undefined && { reason: checked.reason }) };
  const patch: StandingPatch | undefined =
    verb === ModerationVerb.BAN
      ? // A ban ends the role too: a moderator let back in later is a member again.
        { ban: restriction, role: null }
      : verb === ModerationVerb.UNBAN
        ? { ban: null }
        : verb === ModerationVerb.MUTE
          ? { mute: restriction }
          : verb === ModerationVerb.UNMUTE
            ? { mute: null }
            : undefined;
  if (patch) await ctx.store.setStanding(room.id, checked.userId, patch);
  // A ban cuts the room off on every path: no longer a stored member, the user gets no
  // `room:activity`, no row in `conversations:list` or `/me/rooms`, no read marks or levels.
  // In an encrypted room a kick ends the membership too: the members are asked to remove the
  // user's devices from the MLS group (a kicked user comes back as a new member, with new keys).
  const ends = verb === ModerationVerb.BAN || (verb === ModerationVerb.KICK && room.options.encrypted === true);
  if (ends) await leaveAsMember(ctx, room, checked.userId);
  let removal: Omit<RoomRemovedEvent, 'roomId'> | undefined;
  if (verb === ModerationVerb.KICK) removal = { reason: 'kicked', ...(checked.reason !== undefined && { message: checked.reason }) };
  if (verb === ModerationVerb.BAN)
    removal = {
      reason: 'banned',
      ...(checked.reason !== undefined && { message: checked.reason }),
      ...(end !== undefined && { until: end }),
    };
  await ctx.moderation.changed({ roomId: room.id, userId: checked.userId, ...(removal && { removal }) });
  if (verb === ModerationVerb.MUTE) ctx.typing.clear(room.id, checked.userId);
  if (verb === ModerationVerb.MUTE || verb === ModerationVerb.UNMUTE) ctx.presenceDeltas.updated(room.id, checked.userId);
  return audit(ctx, {
    roomId: room.id,
    action: verb,
    actor: actorRef(actor),
    targetUserId: checked.userId,
    ...(checked.reason !== undefined && { reason: checked.reason }),
    ...(end !== undefined && { until: end }),
  });
}

/**
 * Sets a user's role in a room (owners and admins, or the host): `owner`, `moderator` or
 * `member`. The creator is `owner` until given another role. Shown to the room (presence
 * `updated`) and kept in the audit log.
 */
export async function setRole(
  ctx: CapabilityContext,
  roomId: string,
  userId: string,
  role: MemberRole,
  actor: ModerationActor,
): Promise<AuditEntry> {
  const checked = parsePayload(ctx.schemas['moderation:role'], { roomId, userId, role });
  const room = await roomFor(ctx, checked.roomId);
  const actorRank = await checkRights(ctx, room, actor, checked.userId, 'role', Rank.OWNER);
  if (roleRank(checked.role) > actorRank) throw builtInError('FORBIDDEN', `Only admins can make someone ${checked.role}.`);
  // A role is for someone in the room: an owner cannot hand the room to an outsider.
  if (actor.user && !(await inRoom(ctx, room, checked.userId))) {
    throw builtInError('VALIDATION_FAILED', 'A role can be given only to a member of this room.');
  }
  // The default role is stored as none: the creator is owner, everyone else a member.
  const byDefault = roomRole(room, checked.userId, undefined);
  await ctx.store.setStanding(room.id, checked.userId, { role: checked.role === byDefault ? null : checked.role });
  await ctx.moderation.changed({ roomId: room.id, userId: checked.userId });
  ctx.presenceDeltas.updated(room.id, checked.userId);
  return audit(ctx, {
    roomId: room.id,
    action: AuditAction.ROLE,
    actor: actorRef(actor),
    targetUserId: checked.userId,
    detail: { role: checked.role },
  });
}

/** `moderation:room` and REST: a moderator freezes a room or sets slow mode, through `chat.updateRoom`'s path. */
export async function moderateRoom(ctx: CapabilityContext, payload: unknown, user: ChatUser): Promise<Room> {
  const { roomId, frozen, slowModeMs } = parsePayload(ctx.schemas['moderation:room'], payload);
  const room = await roomFor(ctx, roomId);
  await requireRank(ctx, room, user, Rank.MODERATOR, 'Only moderators can freeze this room or set its slow mode.');
  const options = { ...(frozen !== undefined && { frozen }), ...(slowModeMs !== undefined && { slowModeMs }) };
  return ctx.moderation.updateRoom(room.id, { options }, actorRef({ user }));
}

/**
 * After a room changed (`chat.updateRoom`, `moderation:room`): a change of `frozen` or
 * `slowModeMs` goes into the audit log as `room:update`, with the options set.
 */
export async function auditRoomUpdate(ctx: CapabilityContext, before: Room, after: Room, actor: UserRef): Promise<void> {
  const detail: Record<string, unknown> = {};
  if ((before.options.frozen === true) !== (after.options.frozen === true)) detail['frozen'] = after.options.frozen === true;
  if ((before.options.slowModeMs ?? 0) !== (after.options.slowModeMs ?? 0)) detail['slowModeMs'] = after.options.slowModeMs ?? 0;
  if (Object.keys(detail).length === 0) return;
  await audit(ctx, { roomId: after.id, action: AuditAction.ROOM_UPDATE, actor, detail });
}

/**
 * Appends to the audit log and tells the host (`chat.on('moderation', entry)`). A store without
 * `ModerationStore` keeps no log: the host is told of an entry with the id `''`.
 */
export async function audit(ctx: CapabilityContext, draft: AuditDraft): Promise<AuditEntry> {
  const entry = storeLacks(ctx.store, 'moderation')
    ? { ...draft, id: '', at: draft.at ?? new Date().toISOString() }
    : await ctx.store.appendAudit(draft);
  ctx.events.emit('moderation', entry);
  return entry;
}

/** Throws `FORBIDDEN` with `sentence` unless the user is at least `rank` in the room (admins are). */
export async function requireRank(ctx: CapabilityContext, room: Room, user: ChatUser, rank: Rank, sentence: string): Promise<Rank> {
  await refuseDirect(ctx, room, user);
  const standing = isAdmin(user) ? undefined : ((await ctx.store.getStanding(room.id, user.id)) ?? undefined);
  refuseBanned(user, standing);
  const actual = userRank(room, user, standing);
  if (actual < rank) throw builtInError('FORBIDDEN', sentence);
  return actual;
}

/** The room acted on, read fresh. */
export async function roomFor(ctx: CapabilityContext, roomId: string): Promise<Room> {
  const room = await ctx.store.getRoom(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  return room;
}

/** Who the audit log names. */
export function actorRef(actor: ModerationActor): UserRef {
  const who = actor.user ?? actor.by;
  if (!who) return { ...SERVER_ACTOR };
  if (typeof who.id !== 'string' || who.id === '' || typeof who.name !== 'string') {
    throw builtInError('VALIDATION_FAILED', 'by must be a user: { id, name }.');
  }
  return { id: who.id, name: who.name, ...(typeof who.avatarUrl === 'string' && { avatarUrl: who.avatarUrl }) };
}

// A user acting: not on themselves, at least `needed`, and above the target (an admin connected
// anywhere counts as admin). The host acts on anyone. Returns the actor's rank.
async function checkRights(
  ctx: CapabilityContext,
  room: Room,
  actor: ModerationActor,
  targetUserId: string,
  verb: ModerationVerb | 'role',
  needed: Rank,
): Promise<Rank> {
  const user = actor.user;
  if (!user) return Rank.HOST;
  await refuseDirect(ctx, room, user);
  if (user.id === targetUserId) throw builtInError('VALIDATION_FAILED', `You cannot ${PHRASES[verb]} yourself.`);
  const [own, target, targetAdmin] = await Promise.all([
    ctx.store.getStanding(room.id, user.id),
    ctx.store.getStanding(room.id, targetUserId),
    ctx.moderation.adminOnline(targetUserId),
  ]);
  refuseBanned(user, own ?? undefined);
  const actorRank = userRank(room, user, own ?? undefined);
  if (actorRank < needed) {
    throw builtInError(
      'FORBIDDEN',
      verb === 'role' ? 'Only owners can change roles in this room.' : `Only moderators can ${PHRASES[verb]} people in this room.`,
    );
  }
  const targetRank = targetAdmin ? Rank.ADMIN : roleRank(roomRole(room, targetUserId, target ?? undefined));
  if (targetRank >= actorRank) throw builtInError('FORBIDDEN', `You cannot ${PHRASES[verb]} ${rankName(targetRank)} of this room.`);
  return actorRank;
}

// A stored member of the room, or (an ephemeral room has none) someone in it now.
async function inRoom(ctx: CapabilityContext, room: Room, userId: string): Promise<boolean> {
  if (room.options.ephemeral === true) return (await ctx.presence.lookup(room.id, [userId])).has(userId);
  return ctx.store.isMember(room.id, userId);
}

// Nobody moderates a direct room but an admin or the host; to a stranger it does not exist.
async function refuseDirect(ctx: CapabilityContext, room: Room, user: ChatUser): Promise<void> {
  if (room.options.direct !== true || isAdmin(user)) return;
  await hideDirectRoom(ctx, room, user.id);
  throw builtInError('FORBIDDEN', 'Nobody moderates a direct conversation.');
}

// A banned user moderates nothing, over a socket as over REST (admins are never banned).
function refuseBanned(user: ChatUser, standing: RoomStanding | undefined): void {
  if (!isAdmin(user) && inForce(standing?.ban)) {
    throw builtInError('BANNED', 'You are banned from this room, so you cannot moderate it.');
  }
}

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) throw builtInError('VALIDATION_FAILED', 'until must be a valid date.');
  return date.toISOString();
}
