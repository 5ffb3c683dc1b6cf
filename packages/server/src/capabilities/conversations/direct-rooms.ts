import { builtInError, ChatError, type ChatUser, type Room, type RoomOptions, type UserRef } from '@chat/protocol';
import { checkUser } from '../../auth/check-user.js';
import type { CapabilityContext } from '../capability-context.js';
import { directRoomId, userRef } from '../../core/ids.js';

/**
 * The users of a direct room a client asks for: the caller and the ids given, each once. Ids no
 * one has used yet (no stored user) are `VALIDATION_FAILED`; more than `maxDirectMembers` in all
 * is `PAYLOAD_TOO_LARGE`. Only the caller's own id gives a room of one (notes to self).
 */
export async function directRoomUsers(ctx: CapabilityContext, caller: ChatUser, userIds: readonly string[]): Promise<UserRef[]> {
  const ids = [...new Set([caller.id, ...userIds])];
  checkSize(ctx, ids.length);
  const others = ids.filter((id) => id !== caller.id);
  const stored = others.length > 0 ? await ctx.store.getUsers(others) : [];
  const byId = new Map(stored.map((user) => [user.id, user]));
  const unknown = others.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw unknownUsers(unknown);
  return [userRef(caller), ...others.map((id) => userRef(byId.get(id) as UserRef))];
}

/**
 * Users named by the host (`chat.openDirectRoom`, `chat.addMembers`): an id must be of a user
 * the server has seen; a `UserRef` may name one not seen yet (it is checked like a signed-in user).
 */
export async function resolveUsers(ctx: CapabilityContext, users: ReadonlyArray<string | UserRef>): Promise<UserRef[]> {
  if (!Array.isArray(users)) throw builtInError('VALIDATION_FAILED', 'Give the users as a list of user ids or { id, name } objects.');
  const refs = new Map<string, UserRef>();
  const ids: string[] = [];
  for (const user of users) {
    if (typeof user === 'string') {
      if (user === '' || /[\u0000\p{Cs}]/u.test(user)) throw builtInError('VALIDATION_FAILED', `"${user}" is not a user id.`);
      ids.push(user);
    } else {
      let checked: ChatUser;
      try {
        checked = checkUser(user as ChatUser);
      } catch (error) {
        throw builtInError('VALIDATION_FAILED', `This user cannot be used: ${(error as Error).message}`, { cause: error });
      }
      refs.set(checked.id, userRef(checked));
    }
  }
  const missing = [...new Set(ids)].filter((id) => !refs.has(id));
  if (missing.length > 0) {
    const stored = await ctx.store.getUsers(missing);
    for (const user of stored) refs.set(user.id, userRef(user));
    const unknown = missing.filter((id) => !refs.has(id));
    if (unknown.length > 0) throw unknownUsers(unknown);
  }
  return [...refs.values()];
}

/** Checks the size of a direct room's set of users (the caller included). */
export function checkSize(ctx: CapabilityContext, count: number): void {
  if (count === 0) throw builtInError('VALIDATION_FAILED', 'A direct room needs at least one user.');
  const max = ctx.limits.maxDirectMembers;
  if (count > max) throw builtInError('PAYLOAD_TOO_LARGE', `A direct room can have at most ${max} members, you included.`);
}

/**
 * The direct room of exactly these users, created the first time; every one of them is made a
 * stored member each time (idempotent), so a room whose creation was interrupted is whole again.
 */
export async function openDirectRoom(ctx: CapabilityContext, users: UserRef[], openedBy?: string, encrypted = false): Promise<Room> {
  const id = directRoomId(
    users.map((u) => u.id),
    encrypted,
  );
  const { room } = await ctx.store.createRoom({
    id,
    options: { direct: true, private: true, ...(encrypted && { encrypted: true }) },
    ...(openedBy !== undefined && { createdBy: openedBy }),
  });
  // Ids with the prefix cannot be made by joins or createRoom; one that is not direct predates them.
  if (room.options.direct !== true) throw builtInError('ROOM_EXISTS', `A room that is not a direct room has the id "${id}".`);
  await ctx.store.addMembers(id, users);
  ctx.members.forget(id);
  return room;
}

/**
 * The options a room keeps after `chat.updateRoom`: a direct room stays direct and private (a
 * room opened to everyone would show its members' history to anyone who joins), and no other
 * room becomes direct.
 */
export function keptOptions(room: Room, options: RoomOptions, asked?: RoomOptions): RoomOptions {
  if ((asked as { direct?: unknown } | undefined)?.direct === true && room.options.direct !== true) {
    throw builtInError('VALIDATION_FAILED', 'A room cannot be made direct: open one with chat.openDirectRoom.');
  }
  if (room.options.direct !== true) return options;
  if (options.private === false) throw builtInError('VALIDATION_FAILED', 'A direct room stays private to its members.');
  return { ...options, direct: true, private: true };
}

function unknownUsers(ids: string[]): ChatError {
  const named = ids
    .slice(0, 3)
    .map((id) => `"${id.slice(0, 64)}"`)
    .join(', ');
  return builtInError(
    'VALIDATION_FAILED',
    ids.length === 1 ? `There is no user ${named}.` : `There are no users ${named}${ids.length > 3 ? ' and others' : ''}.`,
  );
}
