import type { ChatErrorData } from './errors.js';
import type { Attachment, Member, Message, Room, UserRef } from './types.js';

/** Names of client -> server events. */
export const ClientEvent = {
  ROOM_JOIN: 'room:join',
  ROOM_LEAVE: 'room:leave',
  MESSAGE_SEND: 'message:send',
  MESSAGE_HISTORY: 'message:history',
  TYPING: 'typing',
} as const;
export type ClientEvent = (typeof ClientEvent)[keyof typeof ClientEvent];

/** Names of server -> client events. */
export const ServerEvent = {
  MESSAGE: 'message',
  PRESENCE: 'presence',
  TYPING: 'typing',
  ROOM_ENDED: 'room:ended',
  ERROR: 'chat:error',
} as const;
export type ServerEvent = (typeof ServerEvent)[keyof typeof ServerEvent];

/** Every ack: success with data, or a protocol error. */
export type AckResponse<T> = { ok: true; data: T } | { ok: false; error: ChatErrorData };
/** The ack callback of a client -> server event. */
export type Ack<T> = (response: AckResponse<T>) => void;

export interface RoomJoinPayload {
  roomId: string;
  /** Re-join after a reconnect: the server answers with messages after this seq instead of the latest page. */
  since?: number;
}
export interface RoomJoinResult {
  room: Room;
  /** The joining user's own member entry (who the server says you are). */
  self: Member;
  members: Member[];
  /** Oldest first. The latest page, or with `since`, the messages after it. */
  messages: Message[];
  /** Without `since`: older messages exist. With `since`: more messages after these exist. */
  hasMore: boolean;
}
export interface RoomLeavePayload {
  roomId: string;
}
export interface MessageSendPayload {
  roomId: string;
  /** Idempotency key chosen by the client (a UUID); a resend with the same key is stored once. */
  clientId: string;
  text: string;
  attachments?: Attachment[];
  replyTo?: string;
}
export interface MessageSendResult {
  message: Message;
}
export interface MessageHistoryPayload {
  roomId: string;
  /** Messages with seq below this one (older). */
  before?: number;
  /** Messages with seq above this one (newer); used to catch up. Not with `before`. */
  after?: number;
  limit?: number;
}
export interface MessageHistoryResult {
  /** Oldest first. */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
}
export interface TypingPayload {
  roomId: string;
  typing: boolean;
}
export type EmptyResult = Record<string, never>;

/** Coalesced presence change of a room. `joined` entries are upserts. */
export interface PresenceDelta {
  roomId: string;
  joined: Member[];
  /** User ids that left. */
  left: string[];
  updated: Member[];
}
/** The whole list of users typing in a room right now. */
export interface TypingEvent {
  roomId: string;
  users: UserRef[];
}
export interface RoomEndedEvent {
  roomId: string;
  room: Room;
}
/** Sent when the server could not answer through an ack (none was given). */
export interface ChatErrorEvent {
  event: string;
  error: ChatErrorData;
}

/** Client -> server events; used as a generic on Socket.IO's `Server` and `Socket`. */
export interface ClientToServerEvents {
  'room:join': (payload: RoomJoinPayload, ack: Ack<RoomJoinResult>) => void;
  'room:leave': (payload: RoomLeavePayload, ack: Ack<EmptyResult>) => void;
  'message:send': (payload: MessageSendPayload, ack: Ack<MessageSendResult>) => void;
  'message:history': (payload: MessageHistoryPayload, ack: Ack<MessageHistoryResult>) => void;
  typing: (payload: TypingPayload, ack: Ack<EmptyResult>) => void;
}

/** Server -> client events. */
export interface ServerToClientEvents {
  message: (message: Message) => void;
  presence: (delta: PresenceDelta) => void;
  typing: (event: TypingEvent) => void;
  'room:ended': (event: RoomEndedEvent) => void;
  'chat:error': (event: ChatErrorEvent) => void;
}
