import type { Room } from '@chat/protocol';

/**
 * The room as members and REST clients may see it: without `privateMetadata`. Every place a
 * room leaves the server (join acks, REST bodies, `room:ended`) goes through here.
 */
export function publicRoom(room: Room): Room {
  if (room.privateMetadata === undefined) return room;
  const visible = { ...room };
  delete visible.privateMetadata;
  return visible;
}
