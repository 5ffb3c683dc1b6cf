import type { Ack, EmptyResult } from './ack.js';
import type {
  CommandRunPayload,
  CommandRunResult,
  MessageReportPayload,
  ModerationPayload,
  ModerationRolePayload,
  ModerationRoomPayload,
} from './moderation.js';
import type { PublicRoom } from './types.js';

/** Server -> client `room:updated`, and the ack of `moderation:room`. */
export interface RoomUpdatedEvent {
  roomId: string;
  room: PublicRoom;
}

/** Moderation's client events, with reports and slash commands. */
export interface ModerationClientEvents {
  'moderation:kick': (payload: ModerationPayload, ack: Ack<EmptyResult>) => void;
  'moderation:ban': (payload: ModerationPayload, ack: Ack<EmptyResult>) => void;
  'moderation:unban': (payload: ModerationPayload, ack: Ack<EmptyResult>) => void;
  'moderation:mute': (payload: ModerationPayload, ack: Ack<EmptyResult>) => void;
  'moderation:unmute': (payload: ModerationPayload, ack: Ack<EmptyResult>) => void;
  'moderation:role': (payload: ModerationRolePayload, ack: Ack<EmptyResult>) => void;
  'moderation:room': (payload: ModerationRoomPayload, ack: Ack<RoomUpdatedEvent>) => void;
  'message:report': (payload: MessageReportPayload, ack: Ack<EmptyResult>) => void;
  'command:run': (payload: CommandRunPayload, ack: Ack<CommandRunResult>) => void;
}
