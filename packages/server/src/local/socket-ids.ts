/**
 * The ids of a user's sockets, kept as the one id itself while there is one (nearly every user
 * has one tab) and as a Set from the second on: an empty Set costs about 150 bytes of heap, and a
 * member of a room held two of them (issue 15: what a member holds that it does not need).
 */
export type SocketIds = string | Set<string>;

/** `ids` with `socketId` added (the same Set when it is one). */
export function addSocket(ids: SocketIds, socketId: string): SocketIds {
  if (typeof ids !== 'string') return ids.add(socketId);
  return ids === socketId ? ids : new Set([ids, socketId]);
}

/** `ids` without `socketId` (check `hasSocket` first): what is left, or `undefined` when none is. */
export function removeSocket(ids: SocketIds, socketId: string): SocketIds | undefined {
  if (typeof ids === 'string') return ids === socketId ? undefined : ids;
  ids.delete(socketId);
  if (ids.size > 1) return ids;
  const [only] = ids;
  return only;
}

/** Whether `socketId` is one of `ids`. */
export function hasSocket(ids: SocketIds | undefined, socketId: string): boolean {
  return typeof ids === 'string' ? ids === socketId : ids !== undefined && ids.has(socketId);
}

/** How many ids. */
export function socketCount(ids: SocketIds): number {
  return typeof ids === 'string' ? 1 : ids.size;
}

/** Each id. */
export function socketsOf(ids: SocketIds): Iterable<string> {
  return typeof ids === 'string' ? [ids] : ids;
}
