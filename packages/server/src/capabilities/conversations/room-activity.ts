import type { Room, RoomActivityEvent } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import type { RoomMember } from '../../core/chat-store.js';
import { conversationRow } from './conversation-list.js';
import { userRoom } from '../../core/ids.js';

/**
 * After a message is stored: each stored member with a connected socket (on any process) that
 * has not joined the room gets `room:activity` with their exact counts, on those sockets only.
 * Rooms with more than `ACTIVITY_MAX_MEMBERS` stored members get none.
 */
export async function announceMessage(ctx: CapabilityContext, room: Room): Promise<void> {
  const members = await ctx.members.small(room.id);
  if (!members || members.length === 0) return;
  const away = await ctx.presence.outside(room.id, memberIds(members));
  if (away.length > 0) await Promise.all(away.map((userId) => sendActivity(ctx, room.id, userId)));
}

/** The ids of a cached member list, as one array for as long as the list is cached (see `LocalPresence.outside`). */
const idsOf = new WeakMap<readonly RoomMember[], string[]>();
function memberIds(members: readonly RoomMember[]): string[] {
  let ids = idsOf.get(members);
  if (!ids) {
    ids = members.map((m) => m.user.id);
    idsOf.set(members, ids);
  }
  return ids;
}

/** A user's counts of a room changed (a read mark moved): their sockets outside the room are told. */
export async function announceRead(ctx: CapabilityContext, roomId: string, userId: string): Promise<void> {
  const away = await ctx.presence.outside(roomId, [userId]);
  if (away.length > 0) await sendActivity(ctx, roomId, userId);
}

/** A user's `room:activity` of a room being sent, and whether a change came in meanwhile. */
interface Sending {
  again: boolean;
  done: Promise<void>;
}
const sending = new WeakMap<CapabilityContext, Map<string, Sending>>();

/**
 * Sends a user's counts of a room, one send at a time per room and user: two sends that read the
 * counts at once could emit in the other order, and the older counts would stay on the user's
 * list. A change while one is sent makes it read and send once more when done (changes that
 * come meanwhile make one more send, not one each); the promise settles after that last send.
 */
function sendActivity(ctx: CapabilityContext, roomId: string, userId: string): Promise<void> {
  let byKey = sending.get(ctx);
  if (!byKey) sending.set(ctx, (byKey = new Map<string, Sending>()));
  const key = `${roomId}\u0000${userId}`;
  const running = byKey.get(key);
  if (running) {
    running.again = true;
    return running.done;
  }
  const state: Sending = { again: false, done: Promise.resolve() };
  const map = byKey;
  state.done = (async () => {
    try {
      do {
        state.again = false;
        await emitActivity(ctx, roomId, userId);
      } while (state.again);
    } finally {
      map.delete(key);
    }
  })();
  byKey.set(key, state);
  return state.done;
}

async function emitActivity(ctx: CapabilityContext, roomId: string, userId: string): Promise<void> {
  const row = await conversationRow(ctx, userId, roomId);
  if (!row) return;
  const event: RoomActivityEvent = { roomId, unread: row.unread, mentions: row.mentions, readSeq: row.readSeq };
  if (row.lastMessage !== undefined) event.lastMessage = row.lastMessage;
  if (row.threadUnread !== undefined) event.threadUnread = row.threadUnread;
  // The user's sockets that are not in the room: those in it have the message already.
  ctx.nsp.to(userRoom(userId)).except(roomId).emit('room:activity', event);
}
