import type { ConversationsListResult, RoomSummary, UserRef } from '@chat/protocol';
import { publicRoom } from '../../core/public-room.js';
import type { CapabilityContext } from '../capability-context.js';
import type { ConversationRow } from '../../core/chat-store.js';
import { userRef } from '../../core/ids.js';
import { MAX_CONVERSATIONS, conversationRow as storedRow } from '../../kernel/rooms/away-recipients.js';

/** A user's rooms, newest activity first, with exact unread and mention counts (at most {@link MAX_CONVERSATIONS}). */
export async function listConversations(ctx: CapabilityContext, userId: string): Promise<RoomSummary[]> {
  const rows = await ctx.store.conversations(userId, { limit: MAX_CONVERSATIONS });
  return rows.map(toSummary);
}

/** The answer of `conversations:list` and `GET /me/rooms`: the user's rooms, and who the user is. */
export async function conversationsOf(ctx: CapabilityContext, user: UserRef): Promise<ConversationsListResult> {
  return { conversations: await listConversations(ctx, user.id), self: userRef(user) };
}

/** One room's row of a user's list (see `kernel/rooms/away-recipients.ts`). */
export function conversationRow(ctx: CapabilityContext, userId: string, roomId: string): Promise<ConversationRow | undefined> {
  return storedRow(ctx.store, userId, roomId);
}

/** A store row as the user receives it (never with `privateMetadata`, whatever the store returned). */
function toSummary(row: ConversationRow): RoomSummary {
  return {
    room: publicRoom(row.room),
    unread: row.unread,
    mentions: row.mentions,
    ...(row.threadUnread !== undefined && { threadUnread: row.threadUnread }),
    readSeq: row.readSeq,
    ...(row.lastMessage !== undefined && { lastMessage: row.lastMessage }),
    notifications: row.notifications,
    ...(row.members !== undefined && { members: row.members }),
  };
}
