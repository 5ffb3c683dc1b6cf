import { builtInError, parsePayload, type ChatUser, type Report } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import type { AuditPage, LogQuery, ReportPage } from '../../core/moderation-records.js';
import { userRef } from '../../core/ids.js';
import { requireRank, roomFor } from './actions.js';
import { Rank } from './roles.js';

/** Paging of `chat.auditLog` and `chat.reports`. */
export interface LogPageOptions {
  /** At most this many, 1 to 100. @default 50 */
  limit?: number;
  /** Entries older than this id (the last `id` of the previous page). */
  before?: string;
}

/** Who reads a room's audit log or reports over REST: moderators, owners and admins of the room. Absent: the host. */
export interface LogReader {
  user?: ChatUser;
}

/** A room's audit log, newest first (`chat.auditLog`, REST `GET /rooms/:id/audit`). */
export async function auditLog(ctx: CapabilityContext, roomId: string, options: LogPageOptions, reader: LogReader): Promise<AuditPage> {
  const query = await logQuery(ctx, roomId, options, reader, 'Only moderators can read the audit log of this room.');
  return ctx.store.listAudit(roomId, query);
}

/** A room's reports, newest first (`chat.reports`, REST `GET /rooms/:id/reports`). */
export async function listReports(ctx: CapabilityContext, roomId: string, options: LogPageOptions, reader: LogReader): Promise<ReportPage> {
  const query = await logQuery(ctx, roomId, options, reader, 'Only moderators can read the reports of this room.');
  return ctx.store.listReports(roomId, query);
}

/**
 * `message:report`: a member of the room reports someone else's message. Stored once per
 * reporter and message (a second report answers as the first did); a new one reaches the host
 * as `chat.on('report', report)`.
 */
export async function reportMessage(
  ctx: CapabilityContext,
  payload: unknown,
  user: ChatUser,
  joined: ReadonlySet<string>,
): Promise<Report> {
  const { roomId, messageId, reason } = parsePayload(ctx.schemas['message:report'], payload);
  if (!joined.has(roomId)) throw builtInError('NOT_IN_ROOM', 'Join this room first.');
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  const message =
    room.options.ephemeral === true ? await ctx.ephemeral.get(roomId, messageId) : await ctx.store.getMessage(roomId, messageId);
  if (!message) throw builtInError('MESSAGE_NOT_FOUND', 'The message you are reporting does not exist in this room.');
  if (message.user.id === user.id)
    throw builtInError('VALIDATION_FAILED', 'You cannot report your own message. Delete or edit it instead.');
  const { report, duplicate } = await ctx.store.appendReport({ roomId, messageId, reporter: userRef(user), reason });
  if (!duplicate) ctx.events.emit('report', report);
  return report;
}

async function logQuery(
  ctx: CapabilityContext,
  roomId: string,
  options: LogPageOptions,
  reader: LogReader,
  refusal: string,
): Promise<LogQuery> {
  parsePayload(ctx.schemas.roomId, roomId);
  const { limit = 50, before } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw builtInError('VALIDATION_FAILED', 'limit must be a whole number from 1 to 100.');
  if (before !== undefined && (typeof before !== 'string' || !/^[1-9]\d{0,14}$/u.test(before))) {
    throw builtInError('VALIDATION_FAILED', 'before must be the id of an entry of an earlier page.');
  }
  const room = await roomFor(ctx, roomId);
  if (reader.user) await requireRank(ctx, room, reader.user, Rank.MODERATOR, refusal);
  return { limit, ...(before !== undefined && { before }) };
}
