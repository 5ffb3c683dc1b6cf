// Which rooms a user may read at the moment of a search: the server decides, the store only
// filters by the list it is given.
import { ChatError, type ChatUser } from '@chat/protocol';
import { ChatAction } from '../core/policy.js';
import type { ChatHandshake } from '../core/handshake.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';
import { authorizeOrThrow } from '../kernel/rooms/open-room.js';

/** The most rooms one search reads: the user's rooms with the latest activity first. */
const MAX_SEARCH_ROOMS = 500;

// Refusals that mean "not this room" when searching all of a user's rooms (one room's refusal
// must not fail the search of the others).
const NOT_READABLE = new Set(['FORBIDDEN', 'BANNED', 'ROOM_NOT_FOUND', 'ROOM_ENDED']);

/**
 * The rooms a search without `roomId` reads: the user's stored rooms (those they joined, private
 * and direct rooms they belong to), ended ones left out, at most `MAX_SEARCH_ROOMS` by latest
 * activity, each still readable now (as `readableRoom` checks). Public rooms the user never joined
 * are searched only when named. One read of the store (`memberRooms`: the rooms with the user's
 * bans, fresh, not from the standings cache), then `authorize` for each room when there is one.
 */
export async function readableRooms(ctx: CapabilityContext, user: ChatUser, handshake: ChatHandshake | undefined): Promise<string[]> {
  const rows = await ctx.store.memberRooms(user.id, { limit: MAX_SEARCH_ROOMS });
  const checked = await Promise.all(
    rows.map(async ({ room, ban }) => {
      if (room.endedAt || ctx.guard.bannedBy(user, ban)) return undefined;
      try {
        const chatContext = { user, roomId: room.id, room, ...(handshake && { handshake }) };
        const authorizing = authorizeOrThrow(ctx, ChatAction.MESSAGE_HISTORY, chatContext, true);
        if (authorizing) await authorizing;
        return room.id;
      } catch (error) {
        if (error instanceof ChatError && NOT_READABLE.has(error.code)) return undefined;
        throw error;
      }
    }),
  );
  return checked.filter((id): id is string => id !== undefined);
}
