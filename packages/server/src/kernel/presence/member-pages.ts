import { builtInError, ID_LIMITS, parsePayload, type Member, type Room, type RoomMembersResult } from '@chat/protocol';
import type { ServerContext } from '../context.js';

/** What a join answers about who is here. */
export interface JoinMembers {
  /** Everyone, or in a large room the first page. */
  members: Member[];
  memberCount: number;
  large?: true;
  membersNext?: string;
  memberCountAt?: number;
}

/**
 * Who is here, for a join's answer: below the threshold the whole list (as it always was) and
 * its length; from it, the exact count and the first page only. Members are as read from the
 * registry (the join adds roles and mutes).
 */
export async function membersForJoin(ctx: ServerContext, roomId: string): Promise<JoinMembers> {
  const { count, at } = await ctx.presence.count(roomId);
  if (count < ctx.presenceDeltas.largeRoomThreshold) {
    const members = await ctx.presence.members(roomId);
    return { members, memberCount: members.length };
  }
  const page = await ctx.presence.page(roomId, undefined, ID_LIMITS.membersPageDefault);
  return {
    members: page.members,
    memberCount: count,
    memberCountAt: at,
    large: true,
    ...(page.next !== undefined && { membersNext: page.next }),
  };
}

/**
 * `room:members { roomId, after?, limit? }` -> `{ members, next?, count }`: a page of the members
 * of a room this socket has joined, with their roles and mutes. Rooms of any size answer.
 */
export async function roomMembers(ctx: ServerContext, joined: ReadonlySet<string>, payload: unknown): Promise<RoomMembersResult> {
  const { roomId, after, limit } = parsePayload(ctx.schemas['room:members'], payload);
  const room = await joinedRoom(ctx, joined, roomId);
  const [page, { count }] = await Promise.all([
    ctx.presence.page(roomId, after, limit ?? ID_LIMITS.membersPageDefault),
    ctx.presence.count(roomId),
  ]);
  const members = await ctx.memberView(room, page.members);
  return { members, count, ...(page.next !== undefined && { next: page.next }) };
}

async function joinedRoom(ctx: ServerContext, joined: ReadonlySet<string>, roomId: string): Promise<Room> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (!joined.has(roomId)) {
    if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended.');
    throw builtInError('NOT_IN_ROOM', 'Join this room first to see who is in it.');
  }
  return room;
}
