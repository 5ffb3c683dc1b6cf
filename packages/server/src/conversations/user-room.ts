/**
 * The Socket.IO room every socket of a user joins on connect, for what is sent to the user
 * rather than to a chat room (`room:activity`). `#` cannot occur in a chat room id, so no chat
 * room can be called this and receive a user's events.
 */
export function userRoom(userId: string): string {
  return `#user:${userId}`;
}
