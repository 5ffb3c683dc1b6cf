// An encrypted room's member whose membership ended keeps their devices in its MLS group until a
// remaining member commits their removal. Until then they must not become a member again: their
// old devices would still hold the group's keys, and read what was said while they were out.
import { builtInError, type Room } from '@chat/protocol';
import { leavingDevices, resetIfNoneCanCommit } from '../../store/e2ee-rules.js';
import type { ServerContext } from '../context.js';

/** How long `chat.addMembers` waits for members to commit a re-added user's removal. */
const REMOVAL_WAIT_MS = 10_000;
/** How often it looks (in the store, so that a commit taken by any process counts). */
const REMOVAL_POLL_MS = 50;

/** Those of `userIds` who are not members of an encrypted room but still have devices in its group. */
export async function removalOwed(ctx: ServerContext, room: Room, userIds: readonly string[]): Promise<string[]> {
  const e2ee = ctx.store.e2ee;
  if (room.options.encrypted !== true || !e2ee || userIds.length === 0) return [];
  const out: string[] = [];
  for (const id of userIds) if (!(await ctx.store.isMember(room.id, id))) out.push(id);
  if (out.length === 0) return out;
  const inGroup = new Set((await e2ee.groupDevices(room.id)).map((d) => d.userId));
  return out.filter((id) => inGroup.has(id));
}

/**
 * Starts the room's group afresh (`E2eeStore.resetGroup`) when none of its devices could commit
 * any more (a removal waited for, an add): all removed, or of users no longer members (the last
 * member removed, then added again). Answers whether it did.
 */
export async function resetIfStuck(ctx: ServerContext, room: Room): Promise<boolean> {
  const e2ee = ctx.store.e2ee;
  if (!e2ee) return false;
  // The epoch first: a commit landing between the reads moves it, and the reset (a compare-and-set
  // on it) then does nothing, rather than reset a group that commit just gave a member's device.
  const epoch = await e2ee.groupEpoch(room.id);
  const devices = await e2ee.groupDevices(room.id);
  const gone = await e2ee.goneDevices(devices);
  const members = new Set((await ctx.store.listMembers(room.id)).map((m) => m.user.id));
  return resetIfNoneCanCommit(e2ee, room.id, epoch, devices, leavingDevices(devices, members, gone));
}

/**
 * Waits until a member's commit has removed these users' devices from the room's group (the
 * members are asked again first), so that a re-add is ordered after the removal; `TIMEOUT` when
 * no member's device made it in time (none online): nothing is added, try again later.
 */
export async function awaitRemoval(ctx: ServerContext, room: Room, userIds: readonly string[]): Promise<void> {
  let owed = await removalOwed(ctx, room, userIds);
  if (owed.length === 0 || (await resetIfStuck(ctx, room))) return;
  ctx.nsp.to(room.id).emit('e2ee:pending', { roomId: room.id });
  const until = Date.now() + REMOVAL_WAIT_MS;
  while (owed.length > 0) {
    if (Date.now() >= until) {
      throw builtInError(
        'TIMEOUT',
        `${owed.join(', ')} cannot be added to the encrypted room "${room.id}" yet: no member has removed their old devices from its group since they left (a member's device must be online to do it). Try again later.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, REMOVAL_POLL_MS));
    owed = await removalOwed(ctx, room, owed);
  }
}
