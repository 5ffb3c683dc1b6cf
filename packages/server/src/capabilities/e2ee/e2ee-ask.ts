// Asking an encrypted room's members to change its group: add devices of new members, remove those
// of users who left or devices their users removed.
import { toChatError, type Room } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { resetIfStuck } from '../../kernel/rooms/removal-owed.js';

/**
 * Sends `e2ee:pending` to the room. After a removal (`removed`), a group that no device left in it
 * could commit to (the last ones were removed) starts afresh first, and the event says so
 * (`reset`): members' devices outside the group then create it at once, rather than wait for a
 * welcome nobody can send until their next sync. A failed check is reported; the ask goes out all the same.
 */
export async function askMembers(ctx: CapabilityContext, room: Room, removed: boolean): Promise<void> {
  const reset =
    removed &&
    (await resetIfStuck(ctx, room).catch((error: unknown) => {
      ctx.report(toChatError(error), { event: 'e2ee' });
      return false;
    }));
  ctx.nsp.to(room.id).emit('e2ee:pending', { roomId: room.id, ...(reset && { reset: true as const }) });
}
