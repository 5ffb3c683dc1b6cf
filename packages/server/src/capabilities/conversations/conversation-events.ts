import {
  ClientEvent,
  parsePayload,
  type ChatUser,
  type ConversationsListResult,
  type EmptyResult,
  type PresenceOfResult,
  type ReadMarkResult,
  type RoomDirectResult,
} from '@chat/protocol';
import type { ChatHandshake } from '../../core/handshake.js';
import { ChatAction } from '../../core/policy.js';
import { authorizeOrThrow } from '../../kernel/rooms/open-room.js';
import { publicRoom } from '../../core/public-room.js';
import type { CapabilityContext } from '../capability-context.js';
import { conversationsOf } from './conversation-list.js';
import { directRoomUsers, openDirectRoom } from './direct-rooms.js';
import { directRoomId } from '../../core/ids.js';
import { presenceOf } from './last-seen.js';
import { setNotificationLevel } from './notify.js';
import { markRead, markThreadRead } from './read-marks.js';
import { toUserStatus } from './user-status.js';

/** Who sends a socket's requests (read at each request: a refreshed token may change the user). */
export interface Caller {
  user: ChatUser;
  handshake: ChatHandshake;
}

/** The client events of conversations. */
export type ConversationEvent =
  | typeof ClientEvent.ROOM_DIRECT
  | typeof ClientEvent.READ_MARK
  | typeof ClientEvent.PRESENCE_STATUS
  | typeof ClientEvent.PRESENCE_OF
  | typeof ClientEvent.CONVERSATIONS_LIST
  | typeof ClientEvent.NOTIFICATIONS_SET;

/**
 * The handlers of a socket's conversation events. Each parses its payload; the socket's
 * wrapper adds the ack, the budget and the timeout, as for every event. None needs the socket
 * to have joined a room: an inbox lists, marks and opens rooms it is not in.
 */
export function conversationHandlers(
  ctx: CapabilityContext,
  caller: () => Caller,
): Record<ConversationEvent, (payload: unknown) => Promise<unknown>> {
  return {
    [ClientEvent.ROOM_DIRECT]: async (payload): Promise<RoomDirectResult> => {
      const { userIds, encrypted = false } = parsePayload(ctx.schemas['room:direct'], payload);
      const { user, handshake } = caller();
      const users = await directRoomUsers(ctx, user, userIds);
      const roomId = directRoomId(
        users.map((u) => u.id),
        encrypted,
      );
      const existing = await ctx.store.getRoom(roomId);
      await authorizeOrThrow(ctx, ChatAction.ROOM_DIRECT, { user, roomId, handshake, ...(existing && { room: existing }) });
      return { room: publicRoom(await openDirectRoom(ctx, users, user.id, encrypted)) };
    },
    [ClientEvent.READ_MARK]: async (payload): Promise<ReadMarkResult> => {
      const { roomId, seq, threadOf } = parsePayload(ctx.schemas['read:mark'], payload);
      const userId = caller().user.id;
      return {
        seq: await (threadOf === undefined ? markRead(ctx, userId, roomId, seq) : markThreadRead(ctx, userId, roomId, threadOf, seq)),
      };
    },
    [ClientEvent.PRESENCE_STATUS]: async (payload): Promise<EmptyResult> => {
      const { status, text } = parsePayload(ctx.schemas['presence:status'], payload);
      const { user } = caller();
      await ctx.presence.setStatus(user.id, toUserStatus(status, text));
      ctx.userStatusChanged(user.id);
      return {};
    },
    [ClientEvent.PRESENCE_OF]: async (payload): Promise<PresenceOfResult> => {
      const { userIds } = parsePayload(ctx.schemas['presence:of'], payload);
      const { user, handshake } = caller();
      await authorizeOrThrow(ctx, ChatAction.PRESENCE_OF, { user, roomId: '', handshake });
      return { users: await presenceOf(ctx, userIds) };
    },
    [ClientEvent.CONVERSATIONS_LIST]: async (payload): Promise<ConversationsListResult> => {
      parsePayload(ctx.schemas['conversations:list'], payload);
      return conversationsOf(ctx, caller().user);
    },
    [ClientEvent.NOTIFICATIONS_SET]: async (payload): Promise<EmptyResult> => {
      const { roomId, level } = parsePayload(ctx.schemas['notifications:set'], payload);
      await setNotificationLevel(ctx, caller().user.id, roomId, level);
      return {};
    },
  };
}
