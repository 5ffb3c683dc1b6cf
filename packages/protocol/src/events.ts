import type { Call } from './calls.js';
import type { ChatErrorData } from './errors.js';
import type { Ack, EmptyResult } from './ack.js';
import type { CallClientEvents, CallServerEvents } from './calls-events.js';
import type { ConversationClientEvents, ConversationServerEvents, ReadState } from './conversations-events.js';
import type { MessageClientEvents } from './messages-events.js';
import type { E2eeClientEvents, E2eeServerEvents } from './e2ee-events.js';
import type { ModerationClientEvents, RoomUpdatedEvent } from './moderation-events.js';
import type { PushClientEvents } from './push-events.js';
import type { SearchClientEvents } from './search-events.js';
import type { CommandInfo } from './moderation.js';
import type { Member, Message, PublicRoom, ThreadRead } from './types.js';
import type { MessageHistoryPayload, MessageHistoryResult } from './message-payloads.js';
import type { UserRef } from './user.js';

/** Names of client -> server events. */
export const ClientEvent = {
  ROOM_JOIN: 'room:join',
  ROOM_LEAVE: 'room:leave',
  MESSAGE_SEND: 'message:send',
  MESSAGE_HISTORY: 'message:history',
  TYPING: 'typing',
  AUTH_REFRESH: 'auth:refresh',
  MESSAGE_EDIT: 'message:edit',
  MESSAGE_DELETE: 'message:delete',
  REACTION_ADD: 'reaction:add',
  REACTION_REMOVE: 'reaction:remove',
  ROOM_DIRECT: 'room:direct',
  READ_MARK: 'read:mark',
  PRESENCE_STATUS: 'presence:status',
  PRESENCE_OF: 'presence:of',
  /** A page of a room's members (how a large room's list is read). */
  ROOM_MEMBERS: 'room:members',
  CONVERSATIONS_LIST: 'conversations:list',
  NOTIFICATIONS_SET: 'notifications:set',
  MODERATION_KICK: 'moderation:kick',
  MODERATION_BAN: 'moderation:ban',
  MODERATION_UNBAN: 'moderation:unban',
  MODERATION_MUTE: 'moderation:mute',
  MODERATION_UNMUTE: 'moderation:unmute',
  MODERATION_ROLE: 'moderation:role',
  MODERATION_ROOM: 'moderation:room',
  MESSAGE_REPORT: 'message:report',
  COMMAND_RUN: 'command:run',
  CALL_START: 'call:start',
  CALL_JOIN: 'call:join',
  CALL_DECLINE: 'call:decline',
  CALL_LEAVE: 'call:leave',
  CALL_SIGNAL: 'call:signal',
  /** Registers this device's Web Push subscription for the user. */
  PUSH_SUBSCRIBE: 'push:subscribe',
  /** Removes one of the user's push subscriptions, by endpoint. */
  PUSH_UNSUBSCRIBE: 'push:unsubscribe',
  /** Finds messages in the rooms the user may read, newest first. */
  MESSAGE_SEARCH: 'message:search',
  /** Hands the server key packages of this device (MLS), each to be claimed once. */
  E2EE_KEYS_PUBLISH: 'e2ee:keys:publish',
  /** Which of this device's key packages a welcome may still name (held unclaimed, or named by a waiting welcome). */
  E2EE_KEYS_HELD: 'e2ee:keys:held',
  /** Takes one key package of every device of some users, to add them to an encrypted room's group. */
  E2EE_KEYS_CLAIM: 'e2ee:keys:claim',
  /** Sends an MLS commit of an encrypted room; accepted only in the group's current epoch. */
  E2EE_COMMIT: 'e2ee:commit',
  /** The commits a device missed, its welcome, and the membership changes the server asks for. */
  E2EE_SYNC: 'e2ee:sync',
  /** Removes one of the user's own devices from every encrypted room (a lost phone); their other devices stay. */
  E2EE_DEVICE_REMOVE: 'e2ee:device:remove',
} as const;
export type ClientEvent = (typeof ClientEvent)[keyof typeof ClientEvent];

/** Names of server -> client events. */
export const ServerEvent = {
  MESSAGE: 'message',
  /**
   * Messages of one room that were ready in the same turn of the server's event loop, oldest
   * first, in one frame: only to sockets that asked for it (`ClientFeature.MESSAGES`).
   */
  MESSAGES: 'messages',
  /** A message changed (edited, deleted, reacted to): the whole message after the change. */
  MESSAGE_UPDATED: 'message:updated',
  PRESENCE: 'presence',
  TYPING: 'typing',
  /** Someone's read mark moved (coalesced per reader). */
  READ: 'read',
  /** Your mark in a thread moved (read on another socket or device): to your own sockets only. */
  THREAD_READ: 'thread:read',
  /** A room the user belongs to but has not joined on this socket changed (new message, counts). */
  ROOM_ACTIVITY: 'room:activity',
  ROOM_ENDED: 'room:ended',
  ROOM_REMOVED: 'room:removed',
  /** A room's title, metadata or options changed (frozen, slow mode...): the room after the change. */
  ROOM_UPDATED: 'room:updated',
  /** A call's state changed (started, ringing, joined, left, ended). */
  CALL: 'call',
  /** WebRTC signalling from one participant of a call to another. */
  CALL_SIGNAL: 'call:signal',
  AUTH_EXPIRING: 'auth:expiring',
  /** An encrypted room's group moved to the next epoch: apply the commit. */
  E2EE_COMMIT: 'e2ee:commit',
  /** A welcome waits for one of the user's devices (fetch it with `e2ee:sync`). */
  E2EE_WELCOME: 'e2ee:welcome',
  /** Devices wait to be added to or removed from an encrypted room's group. */
  E2EE_PENDING: 'e2ee:pending',
  /** This device was removed by its user: its e2ee requests are refused from now on. */
  E2EE_REMOVED: 'e2ee:removed',
  /** A claim left one of the user's devices with few key packages: publish more. */
  E2EE_KEYS_LOW: 'e2ee:keys:low',
  ERROR: 'chat:error',
} as const;
export type ServerEvent = (typeof ServerEvent)[keyof typeof ServerEvent];

/**
 * What a client may ask for in its handshake, as `auth.features` (a list of these names; names
 * the server does not know are ignored, so a client may ask for features of newer servers).
 */
export const ClientFeature = {
  /** Receive the messages one room had ready in the same turn as one `messages` event. */
  MESSAGES: 'messages',
} as const;
export type ClientFeature = (typeof ClientFeature)[keyof typeof ClientFeature];
/** The handshake `auth` fields the protocol defines besides the credentials (see docs/protocol.md). */
export interface HandshakeOptions {
  /** At most `ID_LIMITS.handshakeFeatures` names of at most `ID_LIMITS.featureName` characters. */
  features?: string[];
}

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
  /**
   * Everyone in the room; in a large room (`large`), only the first page of them (page on with
   * `room:members` from `membersNext`).
   */
  members: Member[];
  /** How many members are in the room now, exactly (on every process). */
  memberCount: number;
  /**
   * The room has at least the server's `largeRoomThreshold` members: `members` is a first page,
   * presence deltas carry `count` and at most a few members' changes, once per second.
   */
  large?: true;
  /** With `large`: the `after` of the next `room:members` page (absent: `members` is everyone). */
  membersNext?: string;
  /** With `large`: when `memberCount` was read, to order it against the `countAt` of presence deltas. */
  memberCountAt?: number;
  /** Oldest first. The latest page, or with `since`, the messages after it. */
  messages: Message[];
  /** Without `since`: older messages exist. With `since`: more messages after these exist. */
  hasMore: boolean;
  /** As on `message:history`: where the room's history now starts, when older messages were removed and this page reaches them. */
  historyStart?: number;
  /**
   * Which history the seqs belong to. It changes when the room's history starts over (a
   * memory store restarted, an ephemeral room's log was lost): a client that re-joins and
   * sees another epoch drops what it had and starts again from this answer.
   */
  epoch: string;
  /** The seq the joining user has read up to (0: nothing): where a "new messages" divider goes. */
  readSeq: number;
  /**
   * The messages of the room's log (thread-only replies left out) after `readSeq`, up to the last
   * of `messages`: the unread count as of this answer, also when the page does not reach
   * `readSeq`. Absent in ephemeral rooms (no marks).
   */
  unread?: number;
  /** The read marks of the room's other members (rooms of at most `ID_LIMITS.readsInJoin` members; otherwise empty). */
  reads: ReadState[];
  /**
   * The threads of this room you take part in that have replies unread by you (at most
   * `THREAD_READS_IN_JOIN`, the most recent first); absent when there is none.
   */
  threads?: ThreadRead[];
  /**
   * The room's change counter now (see `Message.rev`): every change up to it is reflected in the
   * messages this join and the pages after it return. A client that re-joins later asks
   * `message:history` with `changedAfter` set to it to catch up the changes it missed.
   */
  rev: number;
  /** The slash commands the server offers (`chat.command`). */
  commands: CommandInfo[];
  /** The calls going on in the room. */
  calls: Call[];
  /**
   * What the server's plugins add to a join (their `joinAnswer`), by plugin name; absent when none
   * adds anything. Every join brings it again, so a re-join after a reconnect catches it up.
   */
  plugins?: Record<string, unknown>;
}
export interface RoomLeavePayload {
  roomId: string;
}
/** Client -> server `room:members`: a page of the members of a room the socket has joined. */
export interface RoomMembersPayload {
  roomId: string;
  /** The `next` of the previous page; absent for the first page. */
  after?: string;
  /** Members per page, at most `ID_LIMITS.membersPage`. @default 50 */
  limit?: number;
}
/** A page of members. Pages follow the room's own order; a member who joins while you page may be missing and one who leaves may still appear. */
export interface RoomMembersResult {
  members: Member[];
  /** Give it as `after` for the next page; absent on the last page. */
  next?: string;
  /** How many members are in the room now, exactly. */
  count: number;
}
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

/**
 * Server -> client `messages`: what one room had ready in one turn, as a `message` event each
 * would carry, oldest first (by seq). The sender's own message is in it too (the same frame
 * goes to the whole room): a sender drops it by its `clientId` or `id`.
 */
export interface MessageBatch {
  roomId: string;
  messages: Message[];
}
/**
 * Coalesced presence change of a room. `joined` entries are upserts. In a large room (with
 * `count`), at most one delta per second, carrying the changes of a few members only.
 */
export interface PresenceDelta {
  roomId: string;
  joined: Member[];
  /** User ids that left. */
  left: string[];
  updated: Member[];
  /** Only in large rooms: how many members the room has after this delta, exactly. */
  count?: number;
  /** With `count`: when it was read; of two counts, the one with the larger `countAt` is newer. */
  countAt?: number;
}
/** Who is typing in a room right now: everyone, or past `ID_LIMITS.typingUsers` typists, the first few and `count`. */
export interface TypingEvent {
  roomId: string;
  users: UserRef[];
  /** Present when more people are typing than `users` lists: how many are. */
  count?: number;
}
export interface RoomEndedEvent {
  roomId: string;
  room: PublicRoom;
}
/** Why a socket was taken out of a room by the server. */
export const RoomRemovedReason = {
  /** The room changed (made private, say) and `authorize` no longer lets the user in. */
  FORBIDDEN: 'forbidden',
  /** The host took the user out of the room's stored members (`chat.removeMembers`). */
  REMOVED: 'removed',
  /** A moderator kicked the user out (they may join again). */
  KICKED: 'kicked',
  /** A moderator banned the user (a join answers `BANNED` until the ban ends). */
  BANNED: 'banned',
} as const;
export type RoomRemovedReason = (typeof RoomRemovedReason)[keyof typeof RoomRemovedReason];
/** The server took this socket out of a room; it no longer receives the room's events. */
export interface RoomRemovedEvent {
  roomId: string;
  reason: RoomRemovedReason;
  /** With `kicked` and `banned`: the moderator's reason, if they gave one. */
  message?: string;
  /** With `banned`: when the ban ends (ISO 8601); absent: until lifted. */
  until?: string;
}
/** Sent when the server could not answer through an ack (none was given). */
export interface ChatErrorEvent {
  event: string;
  error: ChatErrorData;
}

/** The kernel's client events: rooms, history, members, sessions. */
export interface RoomClientEvents {
  'room:join': (payload: RoomJoinPayload, ack: Ack<RoomJoinResult>) => void;
  'room:leave': (payload: RoomLeavePayload, ack: Ack<EmptyResult>) => void;
  'message:history': (payload: MessageHistoryPayload, ack: Ack<MessageHistoryResult>) => void;
  'room:members': (payload: RoomMembersPayload, ack: Ack<RoomMembersResult>) => void;
  'auth:refresh': (payload: AuthRefreshPayload, ack: Ack<AuthRefreshResult>) => void;
}

/**
 * Client -> server events, assembled from each feature's map; used as a generic on Socket.IO's
 * `Server` and `Socket`. Two features naming one event with different types fail to compile.
 */
export interface ClientToServerEvents
  extends
    RoomClientEvents,
    MessageClientEvents,
    ConversationClientEvents,
    ModerationClientEvents,
    CallClientEvents,
    PushClientEvents,
    SearchClientEvents,
    E2eeClientEvents {}

/** The kernel's and messages' server events: messages, presence, typing, rooms, sessions. */
export interface RoomServerEvents {
  message: (message: Message) => void;
  /** Only to sockets that asked for `ClientFeature.MESSAGES` in the handshake. */
  messages: (batch: MessageBatch) => void;
  /** Reaction changes to one message are coalesced: at most one of these per message per ~100 ms. */
  'message:updated': (message: Message) => void;
  presence: (delta: PresenceDelta) => void;
  typing: (event: TypingEvent) => void;
  'room:ended': (event: RoomEndedEvent) => void;
  'room:removed': (event: RoomRemovedEvent) => void;
  'room:updated': (event: RoomUpdatedEvent) => void;
  'auth:expiring': (event: AuthExpiringEvent) => void;
  'chat:error': (event: ChatErrorEvent) => void;
}

/** Server -> client events, assembled from each feature's map. */
export interface ServerToClientEvents extends RoomServerEvents, ConversationServerEvents, CallServerEvents, E2eeServerEvents {}
