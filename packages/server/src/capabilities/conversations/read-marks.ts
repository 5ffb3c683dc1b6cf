import { builtInError, ID_LIMITS, THREAD_READS_IN_JOIN, type ThreadReadEvent } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { announceRead } from './room-activity.js';
import { asStranger } from '../../kernel/rooms/membership.js';
import { threadParent } from '../../core/thread-parent.js';
import { notAMember } from '../../store/membership.js';
import { userRoom } from '../../core/ids.js';

/**
 * Moves the user's read mark of a room to `seq`: forward only (a lower seq leaves it), and
 * not beyond the last message (clamped). Needs the user to be a stored member (`NOT_IN_ROOM`).
 * Returns the mark after. When it moved, the room hears of it (coalesced `read` events).
 */
export async function markRead(ctx: CapabilityContext, userId: string, roomId: string, seq: number): Promise<number> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('NOT_IN_ROOM', 'Ephemeral rooms keep no read marks.');
  const result = await ctx.store.markRead(roomId, userId, seq).catch((error: unknown) => asStranger(room, error));
  if (result.changed) ctx.reads.marked(roomId, userId, result.seq);
  return result.seq;
}

/**
 * Moves the user's mark in a thread of a room (`threadOf`: its parent, or a reply of it) to `seq`,
 * as `markRead` moves the room's: forward only, clamped, members only (`NOT_IN_ROOM`), and
 * `MESSAGE_NOT_FOUND` for a message the room does not have. When it moved, the user's sockets
 * hear of it: `thread:read` on every one of them (on any process), and `room:activity` on those
 * outside the room (their `threadUnread` changed).
 */
export async function markThreadRead(
  ctx: CapabilityContext,
  userId: string,
  roomId: string,
  threadOf: string,
  seq: number,
): Promise<number> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('NOT_IN_ROOM', 'Ephemeral rooms keep no read marks.');
  // A stranger learns nothing of the room's messages (and of a direct room, not even that it exists).
  if (!(await ctx.store.isMember(roomId, userId))) asStranger(room, notAMember(roomId, userId));
  const parent = await threadParent(ctx.store, room, threadOf);
  const result = await ctx.store.markThreadRead(roomId, userId, parent, seq).catch((error: unknown) => asStranger(room, error));
  if (result.changed) await Promise.all([announceThreadRead(ctx, roomId, userId, parent, result.seq), announceRead(ctx, roomId, userId)]);
  return result.seq;
}

/**
 * `thread:read` to the reader's sockets: the mark and what stays unread in the thread, counted as
 * a join answer counts it (`threads`: of the `THREAD_READS_IN_JOIN` threads with the newest unread replies).
 */
async function announceThreadRead(
  ctx: CapabilityContext,
  roomId: string,
  userId: string,
  threadOf: string,
  readSeq: number,
): Promise<void> {
  const threads = await ctx.store.threadReads(roomId, userId, THREAD_READS_IN_JOIN);
  const event: ThreadReadEvent = { roomId, threadOf, readSeq, unread: threads.find((t) => t.threadOf === threadOf)?.unread ?? 0 };
  ctx.nsp.to(userRoom(userId)).emit('thread:read', event);
}

/**
 * What a coalesced read mark sends: `read` to the room when it has at most
 * `ID_LIMITS.readsInJoin` stored members (bigger rooms get no receipts), and `room:activity` to
 * the reader's sockets outside the room (their unread count changed).
 */
export async function publishRead(ctx: CapabilityContext, roomId: string, userId: string, seq: number): Promise<void> {
  const members = await ctx.members.small(roomId);
  if (members && members.length <= ID_LIMITS.readsInJoin) ctx.nsp.to(roomId).emit('read', { roomId, userId, seq });
  await announceRead(ctx, roomId, userId);
}
