import { createHash } from 'node:crypto';
import type { UserRef } from '@chat/protocol';

// The ids every part of the server names rooms and people by.

/** Every direct room's id starts with this; joins and `createRoom` cannot make such ids. */
const DIRECT_ROOM_PREFIX = 'dm:';

/**
 * The id of the direct room of exactly these users: `dm:` and the base64url SHA-256 of the
 * sorted, unique ids joined by NUL (43 characters). NUL cannot occur in a user id, so no two
 * sets of ids give the same text (a newline could: ids may contain one). Their end-to-end
 * encrypted direct room is `dm:e:` and the same hash (base64url has no `:`).
 */
export function directRoomId(userIds: readonly string[], encrypted = false): string {
  const ids = [...new Set(userIds)].sort();
  return DIRECT_ROOM_PREFIX + (encrypted ? 'e:' : '') + createHash('sha256').update(ids.join('\u0000')).digest('base64url');
}

/** Whether an id is of the kind only direct rooms have. */
export function isDirectRoomId(roomId: string): boolean {
  return roomId.startsWith(DIRECT_ROOM_PREFIX);
}

/** The public part of a user (what others and the store see). */
export function userRef(user: UserRef): UserRef {
  return { id: user.id, name: user.name, ...(user.avatarUrl !== undefined && { avatarUrl: user.avatarUrl }) };
}

/**
 * The Socket.IO room every socket of a user joins on connect, for what is sent to the user
 * rather than to a chat room (`room:activity`). `#` cannot occur in a chat room id, so no chat
 * room can be called this and receive a user's events.
 */
export function userRoom(userId: string): string {
  return `#user:${userId}`;
}

/**
 * The Socket.IO room of one device of a user in encrypted rooms: a socket joins it when it names
 * the device (`e2ee:sync`, ...), so that removing the device disconnects its sockets on every
 * process. A device id has no `:` (letters, digits, `_`, `-`), so the name is unambiguous.
 */
export function deviceRoom(userId: string, deviceId: string): string {
  return `#device:${deviceId}:${userId}`;
}
