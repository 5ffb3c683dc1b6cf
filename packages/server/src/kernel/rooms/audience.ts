// The audience rule: who may read a room's content now. Every path that carries a room's content
// to a person outside the room's own sockets (search, a plugin's tools) asks it here.
import { ChatError, builtInError, type ChatUser, type Room } from '@chat/protocol';
import { ChatAction } from '../../core/policy.js';
import type { ChatHandshake } from '../../core/handshake.js';
import type { ServerContext } from '../context.js';
import { authorizeOrThrow } from './open-room.js';

// Refusals that mean "may not read this room" (anything else is a failure to report).
const NOT_READABLE = new Set(['FORBIDDEN', 'BANNED', 'ROOM_NOT_FOUND', 'ROOM_ENDED']);

/**
 * The room `roomId`, if the user may read its history now: it exists and has not ended (else
 * `ROOM_NOT_FOUND`, `ROOM_ENDED`), the user is not banned (`BANNED`), and `authorize` allows
 * `message:history` (else `FORBIDDEN`; without `authorize`: a private room for its creator and
 * members, a direct room for its members). A public room need not have been joined, as for REST
 * history.
 */
export async function readableRoom(
  ctx: ServerContext,
  roomId: string,
  user: ChatUser,
  handshake: ChatHandshake | undefined,
): Promise<Room> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  await checkReadable(ctx, room, user, handshake);
  return room;
}

async function checkReadable(ctx: ServerContext, room: Room, user: ChatUser, handshake: ChatHandshake | undefined): Promise<void> {
  if (room.endedAt) throw builtInError('ROOM_ENDED', 'This room has ended.');
  await ctx.bans.notBanned(room, user);
  const authorizing = authorizeOrThrow(ctx, ChatAction.MESSAGE_HISTORY, { user, roomId: room.id, room, ...(handshake && { handshake }) });
  if (authorizing) await authorizing;
}

/** Whether `user` may read the room now, by the rule of {@link readableRoom}; a store failure is thrown, not a "no". */
export async function mayRead(ctx: ServerContext, user: ChatUser, roomId: string, handshake?: ChatHandshake): Promise<boolean> {
  try {
    await readableRoom(ctx, roomId, user, handshake);
    return true;
  } catch (error) {
    if (error instanceof ChatError && NOT_READABLE.has(error.code)) return false;
    throw error;
  }
}
