// Who hears of a stored message while away: the rule the `notify` hook and push notifications
// share (capabilities/conversations, capabilities/push), decided on the process that stored it.
import type { Message, NotificationLevel, Room } from '@chat/protocol';
import type { ChatStore, ConversationRow } from '../../core/chat-store.js';
import type { ServerContext } from '../context.js';

/** The most rooms `conversations:list`, `GET /me/rooms` and `chat.conversations` return (the newest). */
export const MAX_CONVERSATIONS = 500;

/**
 * Why a user hears of a message: a direct room of theirs, a mention, a reply in a thread they
 * take part in, or a room they follow at level `all`.
 */
export type AwayReason = 'direct' | 'mention' | 'thread' | 'message';

/**
 * One room's row of a user's list. The rooms that just had a message are at the top of it, so a
 * short list is read first, and the whole one only when the room is further down.
 */
export async function conversationRow(store: ChatStore, userId: string, roomId: string): Promise<ConversationRow | undefined> {
  const top = await store.conversations(userId, { limit: 10 });
  const found = top.find((row) => row.room.id === roomId);
  if (found || top.length < 10) return found;
  return (await store.conversations(userId, { limit: MAX_CONVERSATIONS })).find((row) => row.room.id === roomId);
}

/**
 * The users to tell of a stored message, with why: the stored members of a direct room, the
 * users it mentions, the participants of the thread a reply is in, and with `everyMessage` the members at level `all` of a room of at most
 * the member directory's small size (a bigger room tells only those it mentions). Never its
 * sender, nor anyone at level `none` there, nor anyone with a socket connected on any process.
 */
export async function awayRecipients(
  ctx: ServerContext,
  room: Room,
  message: Message,
  everyMessage: boolean,
): Promise<Map<string, AwayReason>> {
  const reasons = new Map<string, AwayReason>();
  if (room.options.ephemeral === true) return reasons;
  const sender = message.user.id;
  const levels = new Map<string, NotificationLevel>();
  if (room.options.direct === true) {
    for (const member of await ctx.store.listMembers(room.id)) {
      if (member.user.id === sender) continue;
      reasons.set(member.user.id, 'direct');
      levels.set(member.user.id, member.notifications);
    }
  } else if (everyMessage && (message.threadOf === undefined || message.alsoInRoom === true)) {
    for (const member of (await ctx.members.small(room.id)) ?? []) {
      if (member.user.id === sender || member.notifications !== 'all') continue;
      reasons.set(member.user.id, 'message');
      levels.set(member.user.id, member.notifications);
    }
  }
  // A thread reply: its thread's participants (a thread-only reply tells no one else at level `all`).
  if (message.threadOf !== undefined && room.options.direct !== true) {
    for (const id of await ctx.store.threadParticipants(room.id, message.threadOf)) if (id !== sender) reasons.set(id, 'thread');
  }
  for (const id of message.mentions ?? []) if (id !== sender && reasons.get(id) !== 'direct') reasons.set(id, 'mention');
  if (reasons.size === 0) return reasons;

  const online = await ctx.presence.online([...reasons.keys()]);
  for (const id of online.keys()) reasons.delete(id);
  // A mentioned member's level is in their row of the room (read fresh: a level just set counts).
  await Promise.all(
    [...reasons.keys()]
      .filter((id) => !levels.has(id))
      .map(async (id) => levels.set(id, (await conversationRow(ctx.store, id, room.id))?.notifications ?? 'all')),
  );
  for (const [id, level] of levels) if (level === 'none') reasons.delete(id);
  return reasons;
}
