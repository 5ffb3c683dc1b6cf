import { AuditAction, MemberRole, toChatError, type ChatUser, type Message, type Room, type UserRef } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { actorRef, audit } from './actions.js';
import { inForce, isAdmin, roomRole } from './roles.js';

/**
 * The role `authorize` (and the default policy) sees when a user deletes someone else's message:
 * their role in the room, `owner` for admins. Undefined for one's own message (no read).
 */
export async function roleForDelete(ctx: CapabilityContext, room: Room, user: ChatUser, message: Message): Promise<MemberRole | undefined> {
  if (message.user.id === user.id) return undefined;
  if (isAdmin(user)) return MemberRole.OWNER;
  return roomRole(room, user.id, await ctx.moderation.standings.of(room.id, user.id));
}

/**
 * The user's role in the room, as `authorize` sees it for a plugin's action (`PluginTools.authorize`):
 * `owner` for admins; `member` while a ban is in force (a banned moderator moderates nothing).
 */
export async function roleIn(ctx: CapabilityContext, room: Room, user: ChatUser): Promise<MemberRole> {
  if (isAdmin(user)) return MemberRole.OWNER;
  const standing = await ctx.moderation.standings.of(room.id, user.id);
  return inForce(standing?.ban) ? MemberRole.MEMBER : roomRole(room, user.id, standing);
}

/** A message deleted by someone other than its author goes into the audit log (`message:delete`). */
export async function auditDelete(ctx: CapabilityContext, message: Message, actor: { user?: ChatUser; by?: UserRef }): Promise<void> {
  // The message is deleted already: a failed entry is reported, not turned into a failed delete.
  await audit(ctx, {
    roomId: message.roomId,
    action: AuditAction.MESSAGE_DELETE,
    actor: actorRef(actor),
    targetUserId: message.user.id,
    messageId: message.id,
  }).catch((error: unknown) => ctx.report(toChatError(error), { event: 'moderation' }));
}
