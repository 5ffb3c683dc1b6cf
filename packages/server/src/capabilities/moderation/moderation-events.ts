import { ClientEvent, parsePayload, type ChatUser, type EmptyResult, type RoomUpdatedEvent } from '@chat/protocol';
import { publicRoom } from '../../core/public-room.js';
import type { CapabilityContext } from '../capability-context.js';
import { moderate, moderateRoom, ModerationVerb, setRole } from './actions.js';
import { reportMessage } from './audit-log.js';

/** Who sends a socket's moderation requests (read at each request: a refreshed token may change roles). */
export interface ModerationCaller {
  user: ChatUser;
  /** The rooms the socket has joined (a report needs the room joined; moderation does not). */
  rooms: ReadonlySet<string>;
}

/** The client events of moderation. */
export type ModerationEvent =
  | typeof ClientEvent.MODERATION_KICK
  | typeof ClientEvent.MODERATION_BAN
  | typeof ClientEvent.MODERATION_UNBAN
  | typeof ClientEvent.MODERATION_MUTE
  | typeof ClientEvent.MODERATION_UNMUTE
  | typeof ClientEvent.MODERATION_ROLE
  | typeof ClientEvent.MODERATION_ROOM
  | typeof ClientEvent.MESSAGE_REPORT;

/**
 * The handlers of a socket's moderation events; the socket's wrapper adds the ack, the budget
 * and the timeout. Moderators need not have joined the room they moderate (a dashboard may act
 * from outside); the rank decides, never `authorize`.
 */
export function moderationHandlers(
  ctx: CapabilityContext,
  caller: () => ModerationCaller,
): Record<ModerationEvent, (payload: unknown) => Promise<unknown>> {
  const act =
    (verb: ModerationVerb) =>
    async (payload: unknown): Promise<EmptyResult> => {
      const checked = parsePayload(ctx.schemas[`moderation:${verb}`], payload);
      await moderate(ctx, verb, checked, { user: caller().user });
      return {};
    };
  return {
    [ClientEvent.MODERATION_KICK]: act(ModerationVerb.KICK),
    [ClientEvent.MODERATION_BAN]: act(ModerationVerb.BAN),
    [ClientEvent.MODERATION_UNBAN]: act(ModerationVerb.UNBAN),
    [ClientEvent.MODERATION_MUTE]: act(ModerationVerb.MUTE),
    [ClientEvent.MODERATION_UNMUTE]: act(ModerationVerb.UNMUTE),
    [ClientEvent.MODERATION_ROLE]: async (payload): Promise<EmptyResult> => {
      const { roomId, userId, role } = parsePayload(ctx.schemas['moderation:role'], payload);
      await setRole(ctx, roomId, userId, role, { user: caller().user });
      return {};
    },
    [ClientEvent.MODERATION_ROOM]: async (payload): Promise<RoomUpdatedEvent> => {
      const room = await moderateRoom(ctx, payload, caller().user);
      return { roomId: room.id, room: publicRoom(room) };
    },
    [ClientEvent.MESSAGE_REPORT]: async (payload): Promise<EmptyResult> => {
      const { user, rooms } = caller();
      await reportMessage(ctx, payload, user, rooms);
      return {};
    },
  };
}
