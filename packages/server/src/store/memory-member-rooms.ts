import type { Message, Restriction, Room } from '@chat/protocol';
import type { MemberRoom } from '../core/chat-store.js';
import type { MemberRecord } from './memory-members.js';

/** What `memberRoomsOf` reads of a room's log: the room and its messages, oldest first. */
interface RoomLogView {
  room: Room;
  messages: readonly Message[];
}

/**
 * `ChatStore.memberRooms` of MemoryStore: the rooms of `memberships` that exist and have not
 * ended, newest activity first (last message, else membership; ties by room id, as
 * `conversations` orders them), at most `limit`, each copied by `copy` with the stored ban `banOf` gives.
 */
export function memberRoomsOf(
  memberships: ReadonlyMap<string, MemberRecord>,
  rooms: ReadonlyMap<string, RoomLogView>,
  banOf: (roomId: string) => Restriction | undefined,
  limit: number,
  copy: (room: Room) => Room,
): MemberRoom[] {
  const rows: { log: RoomLogView; activity: string }[] = [];
  for (const [roomId, member] of memberships) {
    const log = rooms.get(roomId);
    if (log && !log.room.endedAt) rows.push({ log, activity: log.messages.at(-1)?.createdAt ?? member.addedAt });
  }
  rows.sort((a, b) => (a.activity < b.activity ? 1 : a.activity > b.activity ? -1 : a.log.room.id < b.log.room.id ? -1 : 1));
  return rows.slice(0, Math.max(0, limit)).map(({ log }) => {
    const ban = banOf(log.room.id);
    return ban === undefined ? { room: copy(log.room) } : { room: copy(log.room), ban };
  });
}
