// Conversations' events: direct rooms, read marks, status and presence, the list of a user's
// rooms, notification levels, and what a member hears of the rooms they are not in.
import type { Ack, EmptyResult } from './ack.js';
import type { Message, NotificationLevel, PresenceStatus, PublicRoom, RoomSummary, ThreadRead, UserPresence } from './types.js';
import type { UserRef } from './user.js';

/** Where one user has read a room up to. */
export interface ReadState {
  userId: string;
  seq: number;
}
/** Opens (creating it the first time) the direct room of the caller and these users. */
export interface RoomDirectPayload {
  /** The other users (the caller is added); at most `limits.maxDirectMembers` in all. */
  userIds: string[];
  /** The end-to-end encrypted direct room of these users (id `dm:e:...`), a room apart from the plain one. */
  encrypted?: boolean;
}
export interface RoomDirectResult {
  room: PublicRoom;
}
/**
 * Marks the room read up to `seq`, or with `threadOf` that thread. Marks only move forward: a lower
 * seq leaves the mark where it is, and a seq beyond the last message marks up to the last message.
 * Answers the mark after.
 */
export interface ReadMarkPayload {
  roomId: string;
  seq: number;
  /** Marks this thread's replies read up to `seq` (a thread's own mark), not the room's main log. */
  threadOf?: string;
}
export interface ReadMarkResult {
  seq: number;
}
/** Sets the caller's status on every socket and room. */
export interface PresenceStatusPayload {
  status: PresenceStatus;
  /** Up to `ID_LIMITS.statusText` characters; no control characters. Omit to clear. */
  text?: string;
}
export interface PresenceOfPayload {
  /** At most `ID_LIMITS.presenceQuery` user ids. */
  userIds: string[];
}
export interface PresenceOfResult {
  /** One entry per id asked, in the order asked. */
  users: UserPresence[];
}
export type ConversationsListPayload = Record<string, never>;
export interface ConversationsListResult {
  /** Every room the user belongs to, newest activity first. */
  conversations: RoomSummary[];
  /** You, as the server knows you: a list can tell your own last messages (and leave you out of a direct room's name). */
  self: UserRef;
}
export interface NotificationsSetPayload {
  roomId: string;
  level: NotificationLevel;
}
/** Server -> client `read`: a member's read mark moved. */
export type ReadEvent = ReadState & { roomId: string };
/**
 * Server -> client `thread:read`, to the reader's own sockets: their mark in a thread moved
 * (`readSeq`), and `unread` is what stays unread there after it, as a join answer's `threads` count.
 */
export type ThreadReadEvent = ThreadRead & { roomId: string };
/** Server -> client `room:activity`, for rooms the user belongs to but has not joined on this socket. */
export interface RoomActivityEvent {
  roomId: string;
  /** The room's newest message (a thread reply too: its `threadOf` says so). */
  lastMessage?: Message;
  /** As `RoomSummary.unread`: messages of the room's log after `readSeq` (thread-only replies left out). */
  unread: number;
  mentions: number;
  /** Your read mark in the room. */
  readSeq: number;
  /** As `RoomSummary.threadUnread`: replies of others after your mark in threads you take part in; absent when none. */
  threadUnread?: number;
}
/** Conversations' client events: direct rooms, read marks, status, the list, notification levels. */
export interface ConversationClientEvents {
  'room:direct': (payload: RoomDirectPayload, ack: Ack<RoomDirectResult>) => void;
  'read:mark': (payload: ReadMarkPayload, ack: Ack<ReadMarkResult>) => void;
  'presence:status': (payload: PresenceStatusPayload, ack: Ack<EmptyResult>) => void;
  'presence:of': (payload: PresenceOfPayload, ack: Ack<PresenceOfResult>) => void;
  'conversations:list': (payload: ConversationsListPayload, ack: Ack<ConversationsListResult>) => void;
  'notifications:set': (payload: NotificationsSetPayload, ack: Ack<EmptyResult>) => void;
}
/** Conversations' server events: read marks and a member's rooms' activity. */
export interface ConversationServerEvents {
  read: (event: ReadEvent) => void;
  'thread:read': (event: ThreadReadEvent) => void;
  'room:activity': (event: RoomActivityEvent) => void;
}
