import type { UserRef } from './user.js';

/** A user's role in one room. The creator is `owner`; a user whose `ChatUser.roles` has `admin` moderates every room. */
export const MemberRole = {
  OWNER: 'owner',
  MODERATOR: 'moderator',
  MEMBER: 'member',
} as const;
export type MemberRole = (typeof MemberRole)[keyof typeof MemberRole];

/** A ban or a mute: until when (absent: until lifted) and why. */
export interface Restriction {
  /** ISO 8601 end; absent: until a moderator lifts it. */
  until?: string;
  reason?: string;
}

/** What a moderation action did (the `action` of an {@link AuditEntry}). */
export const AuditAction = {
  KICK: 'kick',
  BAN: 'ban',
  UNBAN: 'unban',
  MUTE: 'mute',
  UNMUTE: 'unmute',
  ROLE: 'role',
  /** A message deleted by someone other than its author. */
  MESSAGE_DELETE: 'message:delete',
  /** Freeze, unfreeze, slow mode. */
  ROOM_UPDATE: 'room:update',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** One moderation action, as kept in a room's audit log (`chat.auditLog(roomId)`, REST `GET /rooms/:id/audit`). */
export interface AuditEntry {
  id: string;
  roomId: string;
  action: AuditAction;
  /** Who acted (a moderator, an owner, an admin, or the host's server code as `{ id: 'server' }`). */
  actor: UserRef;
  /** Whom it was done to (kick, ban, mute, role, a deleted message's author). */
  targetUserId?: string;
  messageId?: string;
  reason?: string;
  /** Ban or mute end (ISO 8601). */
  until?: string;
  /** The new role (`role`), or the room options set (`room:update`). */
  detail?: Record<string, unknown>;
  /** ISO 8601. */
  at: string;
}

/** A message someone reported (`message:report`), as kept for hosts (`chat.reports(roomId)`, `chat.on('report')`). */
export interface Report {
  id: string;
  roomId: string;
  messageId: string;
  reporter: UserRef;
  reason: string;
  /** ISO 8601. */
  at: string;
}

/** A slash command the server offers (listed in the join ack). */
export interface CommandInfo {
  /** Without the slash: `help`, `remind`. */
  name: string;
  description: string;
  /** How to call it, for the composer: `/remind 5m <text>`. */
  usage?: string;
}

/** `moderation:kick | ban | unban | mute | unmute`: `until` (ISO 8601) and `reason` for ban and mute. */
export interface ModerationPayload {
  roomId: string;
  userId: string;
  until?: string;
  reason?: string;
}
/** `moderation:role`: owners (and admins) set a member's role. */
export interface ModerationRolePayload {
  roomId: string;
  userId: string;
  role: MemberRole;
}
/** `moderation:room`: moderators freeze a room or set slow mode (0 turns it off). */
export interface ModerationRoomPayload {
  roomId: string;
  frozen?: boolean;
  slowModeMs?: number;
}
/** `message:report`: anyone may report a message of a room they joined. */
export interface MessageReportPayload {
  roomId: string;
  messageId: string;
  reason: string;
}
/** `command:run`: `/name args` typed in a room. */
export interface CommandRunPayload {
  roomId: string;
  /** Without the slash. */
  name: string;
  /** The rest of the line after the name, trimmed. */
  args: string;
  /** Run in this thread (its parent's id, or a reply's): what the command posts goes to the thread. */
  threadOf?: string;
}
/** The answer of a command to the caller alone (answers to the whole room arrive as messages). */
export interface CommandRunResult {
  /** Text shown only to the caller, if the command answered privately (or did not exist). */
  reply?: string;
}
