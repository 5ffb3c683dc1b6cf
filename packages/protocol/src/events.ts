import type { ChatErrorData } from './errors.js';
import type { Attachment, Member, Message, PublicRoom, UserRef } from './types.js';

/** Names of client -> server events. */
export const ClientEvent = {
  ROOM_JOIN: 'room:join',
  ROOM_LEAVE: 'room:leave',
  MESSAGE_SEND: 'message:send',
  MESSAGE_HISTORY: 'message:history',
  TYPING: 'typing',
  AUTH_REFRESH: 'auth:refresh',
} as const;
export type ClientEvent = (typeof ClientEvent)[keyof typeof ClientEvent];

/** Names of server -> client events. */
export const ServerEvent = {
  MESSAGE: 'message',
  PRESENCE: 'presence',
  TYPING: 'typing',
  ROOM_ENDED: 'room:ended',
  ROOM_REMOVED: 'room:removed',
  AUTH_EXPIRING: 'auth:expiring',
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
  /** The `epoch` of the history `since` belongs to; if the room's history started over, the answer is the latest page. */
  epoch?: string;
}
export interface RoomJoinResult {
  room: PublicRoom;
  /** The joining user's own member entry (who the server says you are). */
  self: Member;
  members: Member[];
  /** Oldest first. The latest page, or with `since`, the messages after it. */
  messages: Message[];
  /** Without `since`: older messages exist. With `since`: more messages after these exist. */
  hasMore: boolean;
  /**
   * Which history the seqs belong to. It changes when the room's history starts over (a
   * memory store restarted, an ephemeral room's log was lost): a client that re-joins and
   * sees another epoch drops what it had and starts again from this answer.
   */
  epoch: string;
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
/** A fresh token for a live connection, before the current one expires. */
export interface AuthRefreshPayload {
  token: string;
}
/** The answer to `auth:refresh`: the connection is signed in with the new token. */
export interface AuthRefreshResult {
  /** When the new credentials expire (ISO 8601), if they do. */
  expiresAt?: string;
}
/** Sent to a socket shortly before its credentials expire: send `auth:refresh` with a new token. */
export interface AuthExpiringEvent {
  /** ISO 8601 time of expiry. */
  expiresAt: string;
}

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
  room: PublicRoom;
}
/** Why a socket was taken out of a room by the server. */
export const RoomRemovedReason = {
  /** The room changed (made private, say) and `authorize` no longer lets the user in. */
  FORBIDDEN: 'forbidden',
} as const;
export type RoomRemovedReason = (typeof RoomRemovedReason)[keyof typeof RoomRemovedReason];
/** The server took this socket out of a room; it no longer receives the room's events. */
export interface RoomRemovedEvent {
  roomId: string;
  reason: RoomRemovedReason;
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
  'auth:refresh': (payload: AuthRefreshPayload, ack: Ack<AuthRefreshResult>) => void;
}

/** Server -> client events. */
export interface ServerToClientEvents {
  message: (message: Message) => void;
  presence: (delta: PresenceDelta) => void;
  typing: (event: TypingEvent) => void;
  'room:ended': (event: RoomEndedEvent) => void;
  'room:removed': (event: RoomRemovedEvent) => void;
  'auth:expiring': (event: AuthExpiringEvent) => void;
  'chat:error': (event: ChatErrorEvent) => void;
}
