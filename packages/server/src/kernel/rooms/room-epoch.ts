import type { Room } from '@chat/protocol';
import type { ServerContext } from '../context.js';

/**
 * Which history a room's seqs belong to. A stored room's history lives as long as the room
 * record (a memory store that restarts makes the room anew, with a new `createdAt`); an
 * ephemeral room's seqs live in the ephemeral log, which has epochs of its own.
 */
export async function roomEpoch(ctx: ServerContext, room: Room): Promise<string> {
  if (room.options.ephemeral === true) return `e:${await ctx.ephemeral.epoch(room.id)}`;
  return `s:${room.createdAt}`;
}
