import { builtInError, parsePayload, toChatError, type Room, type UserRef } from '@chat/protocol';
import type { RoomPatch } from '../core/chat-store.js';
import { withoutUndefined } from '../core/without-undefined.js';
import { keptOptions } from '../capabilities/conversations/index.js';
import { restartMembership } from '../kernel/rooms/membership.js';
import { auditRoomUpdate } from '../capabilities/moderation/index.js';
import { publicRoom } from '../core/public-room.js';
import type { RoomSignals } from '../kernel/rooms/room-signals.js';
import type { CapabilityContext } from '../capabilities/capability-context.js';

// The host's changes to a room (`chat.updateRoom`, a moderator's `moderation:room`, `chat.endRoom`).

/** `actor`: who the audit log names when freeze or slow mode change (a moderator's `moderation:room`). */
export async function updateRoom(
  ready: Promise<void>,
  ctx: CapabilityContext,
  signals: RoomSignals,
  id: string,
  patch: Omit<RoomPatch, 'endedAt'>,
  actor: UserRef,
): Promise<Room> {
  await ready;
  parsePayload(ctx.schemas.roomId, id);
  const checked = parsePayload(ctx.schemas.updateRoom, {
    title: patch.title,
    metadata: patch.metadata,
    privateMetadata: patch.privateMetadata,
    options: patch.options,
  });
  const before = checked.options === undefined ? undefined : await ctx.store.getRoom(id);
  if (before && checked.options) checked.options = keptOptions(before, checked.options, patch.options);
  if (before && checked.options?.encrypted !== undefined && checked.options.encrypted !== (before.options.encrypted === true)) {
    throw builtInError('VALIDATION_FAILED', 'A room is end-to-end encrypted from its creation or never: options.encrypted cannot change.');
  }
  const room = await ctx.store.updateRoom(id, withoutUndefined(checked));
  if (before && before.options.private !== true && room.options.private === true) await restartMembership(ctx, room);
  // Members the new options refuse leave now, on every process: a room made private must
  // stop serving them live messages, history and typing.
  await signals.changed(room);
  // The members who stay (on every process) see the new title, metadata or options.
  if (checked.title !== undefined || checked.metadata !== undefined || checked.options !== undefined) {
    ctx.nsp.to(room.id).emit('room:updated', { roomId: room.id, room: publicRoom(room) });
  }
  if (before) await auditRoomUpdate(ctx, before, room, actor);
  return room;
}

/** Ends a room (see `chat.endRoom`); `ended` is told of a room that was not ended before. */
export async function endRoom(
  ready: Promise<void>,
  ctx: CapabilityContext,
  signals: RoomSignals,
  id: string,
  ended: (room: Room) => void,
): Promise<Room> {
  await ready;
  parsePayload(ctx.schemas.roomId, id);
  const before = await ctx.store.getRoom(id);
  if (!before) throw builtInError('ROOM_NOT_FOUND', `There is no room "${id}".`);
  if (before.endedAt) return before;
  const room = await ctx.store.updateRoom(id, { endedAt: new Date().toISOString() });
  // Answered once every process has forgotten its copy of the room (a send there then finds it ended).
  await signals.ended(room);
  // An ephemeral room's seq counter goes too; not awaited, so that ending a room never waits
  // for Redis (it may be down: the room is ended in the store all the same).
  if (room.options.ephemeral) {
    Promise.resolve(ctx.ephemeral.forget(id)).catch((error: unknown) => ctx.report(toChatError(error), { event: 'room:ended' }));
  }
  ended(room);
  return room;
}
