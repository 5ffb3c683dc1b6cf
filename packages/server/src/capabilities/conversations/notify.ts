import { builtInError } from '@chat/protocol';
import type { Message, NotificationLevel, Room } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { asStranger } from '../../kernel/rooms/membership.js';
import type { NotifyKind } from '../../core/notify.js';

export type { Notify, NotifyEvent } from '../../core/notify.js';

/**
 * Calls the host's `notify` once per recipient of a stored message who is a stored member of the
 * direct room it was written in (`direct`), is mentioned in it (`mention`) or takes part in the
 * thread it replies in (`thread`), is not its sender,
 * has not set the room's notifications to `none`, and has no connected socket anywhere. A hook
 * that throws or rejects is reported through `chat.on('error')`; the message is stored already.
 */
export async function notifyRecipients(ctx: CapabilityContext, room: Room, message: Message): Promise<void> {
  const notify = ctx.notify;
  if (!notify) return;
  const kinds = await ctx.away.of(room, message);
  // Level `all` is push's (the hook is told of direct messages and mentions).
  const recipients = [...kinds.keys()].filter((id) => kinds.get(id) !== 'message');
  if (recipients.length === 0) return;
  const users = await ctx.store.getUsers(recipients);
  await Promise.all(
    users.map(async (user) => {
      try {
        await notify(user, { kind: kinds.get(user.id) as NotifyKind, message, room });
      } catch (error) {
        ctx.report(builtInError('INTERNAL', 'The notify hook failed.', { cause: error }), { event: 'notify' });
      }
    }),
  );
}

/** `notifications:set`: stores the user's level for a room (`NOT_IN_ROOM` for a non-member). */
export async function setNotificationLevel(
  ctx: CapabilityContext,
  userId: string,
  roomId: string,
  level: NotificationLevel,
): Promise<void> {
  const room = await ctx.rooms.get(roomId);
  if (!room) throw builtInError('ROOM_NOT_FOUND', `There is no room "${roomId}".`);
  if (room.options.ephemeral === true) throw builtInError('NOT_IN_ROOM', 'Ephemeral rooms have no stored members.');
  await ctx.store.setNotifications(roomId, userId, level).catch((error: unknown) => asStranger(room, error));
  // Levels are read from the member directory for pushes: this process reads the room again.
  ctx.members.forget(roomId);
}
