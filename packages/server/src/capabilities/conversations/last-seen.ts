import { toChatError, type ChatUser, type UserPresence } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import type { StoredUser } from '../../core/chat-store.js';
import { userRef } from '../../core/ids.js';

/**
 * A socket comes online: it counts in the presence registry (online on any process), and the
 * store remembers the user's name and avatar (so others can open a direct room with them).
 * Resolves with what to call when the socket goes: when it was the user's last socket anywhere,
 * the store keeps when they were last seen. Failures are reported, never refuse the connection.
 */
export async function comeOnline(ctx: CapabilityContext, socketId: string, user: ChatUser): Promise<() => void> {
  const ref = userRef(user);
  const report = (error: unknown) => ctx.report(toChatError(error), { event: 'connect', socketId });
  let counted = false;
  await Promise.all([
    ctx.presence.connect(socketId, ref).then(() => {
      counted = true;
    }, report),
    ctx.store.saveUser(ref).catch(report),
  ]);
  let gone = false;
  return () => {
    if (gone || !counted) return;
    gone = true;
    const going = ctx.presence
      .disconnect(socketId, user.id)
      .then((last) => (last ? ctx.store.saveUser(ref, new Date().toISOString()) : undefined))
      .catch((error: unknown) => ctx.report(toChatError(error), { event: 'disconnect', socketId }));
    ctx.inflight.add(going);
    void going.then(() => ctx.inflight.delete(going));
  };
}

/** Users whose last socket was on a process that died: the store keeps when they were last seen. */
export async function wentOffline(ctx: CapabilityContext, users: StoredUser[]): Promise<void> {
  const at = new Date().toISOString();
  await Promise.all(users.map((user) => ctx.store.saveUser(userRef(user), at)));
}

/**
 * Where users stand, for users in no room one shares: online on any process (with the status
 * they set), or offline with when they were last seen. Unknown ids are offline, without a date.
 */
export async function presenceOf(ctx: CapabilityContext, userIds: readonly string[]): Promise<UserPresence[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const [online, stored] = await Promise.all([ctx.presence.online(unique), ctx.store.getUsers(unique)]);
  const seen = new Map(stored.map((user) => [user.id, user.lastSeenAt]));
  return userIds.map((id): UserPresence => {
    const status = online.get(id);
    if (status) return { id, online: true, ...status };
    const lastSeenAt = seen.get(id);
    return { id, online: false, status: 'online', ...(lastSeenAt !== undefined && { lastSeenAt }) };
  });
}
