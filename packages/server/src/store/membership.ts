import { builtInError, ChatError, NotificationLevel } from '@chat/protocol';

// What both stores share about stored members and read marks: the refusals (same codes, same
// sentences) and the defaults.

/** A new member's notification level. */
export const DEFAULT_NOTIFICATIONS: NotificationLevel = 'all';

/** The user is not a stored member of the room (`markRead`, `setNotifications`). */
export function notAMember(roomId: string, userId: string): ChatError {
  return builtInError('NOT_IN_ROOM', `User "${userId}" is not a member of room "${roomId}".`);
}

/** Refuses a read mark that is not a whole number (a seq is 0, 1, 2...). */
export function checkReadSeq(seq: number): void {
  if (!Number.isSafeInteger(seq))
    throw builtInError('VALIDATION_FAILED', `A read mark is a whole number (a message's seq); got ${String(seq)}.`);
}

/** The users to store, one per id (the last one given wins), ordered by id so that concurrent writers lock rows in one order. */
export function uniqueUsers<T extends { id: string }>(users: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const user of users) byId.set(user.id, user);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const LEVELS = new Set<string>(Object.values(NotificationLevel));

/** Refuses a notification level that is not one of `NotificationLevel`. */
export function checkLevel(level: string): void {
  if (!LEVELS.has(level))
    throw builtInError('VALIDATION_FAILED', `Notifications are ${[...LEVELS].map((l) => `"${l}"`).join(', ')}; got "${level}".`);
}
