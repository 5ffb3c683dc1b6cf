import type { PublicRoom, Room } from '@chat/protocol';

/**
 * The room as members and REST clients may see it: without `privateMetadata`. Every place a
 * room leaves the server (join acks, REST bodies, `room:ended`) goes through here.
 */
export function publicRoom(room: Room): PublicRoom {
  if (room.privateMetadata === undefined) return room;
  const { privateMetadata: _hidden, ...visible } = room;
  return visible;
}
