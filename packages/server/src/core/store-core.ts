// The core every store has: rooms, members, messages and their history, reads, users and their
// standing. What a capability keeps beside it is a part (store-parts.ts).
import type {
  Attachment,
  Message,
  NotificationLevel,
  PublicRoom,
  Room,
  RoomOptions,
  SystemNote,
  ThreadRead,
  UserRef,
} from '@chat/protocol';
import { ERASED_USER_ID } from '@chat/protocol';
import type { E2eeStore } from './e2ee-store.js';
import type { StorePart } from './store-part.js';
import type { RoomStanding, StandingPatch } from './moderation-records.js';
import type { ChangeResult, MessageChange } from './message-change.js';

export type { ChangeResult, MessageChange } from './message-change.js';

/** Who an erased user's messages, thread summaries, audit entries and reports name in place of them (`chat.eraseUser`). */
export const ERASED_USER: Readonly<UserRef> = Object.freeze({ id: ERASED_USER_ID, name: 'Deleted user' });

/** What `createRoom` needs; the store fills `createdAt` and an id when none is given. */
export interface CreateRoomInput {
  id?: string;
  title?: string;
  metadata?: Record<string, unknown>;
  /** Kept by the store for the server only; see `Room.privateMetadata`. */
  privateMetadata?: Record<string, unknown>;
  options?: RoomOptions;
  createdBy?: string;
}

/** The result of `createRoom`: the room with that id, and whether this call created it. */
export interface CreateRoomResult {
  room: Room;
  /** False when a room with `input.id` existed already; it is returned unchanged. */
  created: boolean;
}

/** Fields `updateRoom` may change. `endedAt: null` is not allowed: an ended room stays ended. */
export interface RoomPatch {
  title?: string;
  metadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  options?: RoomOptions;
  endedAt?: string;
}

/** Filter for `listRooms`. */
export interface RoomQuery {
  /** Include ended rooms. @default false */
  includeEnded?: boolean;
  /** Only rooms created by this user id. */
  createdBy?: string;
  /** At most this many, newest first. @default 100 */
  limit?: number;
}

/** A message before the store gives it id, seq and createdAt. */
export interface MessageDraft {
  roomId: string;
  clientId: string;
  user: UserRef;
  text: string;
  /** An encrypted room's message: the ciphertext, stored and handed back as it is. */
  ciphertext?: string;
  attachments: Attachment[];
  replyTo?: string;
  /** User ids mentioned, already checked by the server (members of the room). An empty list is stored as none (no `mentions`). */
  mentions?: string[];
  /** A line the server writes for something that happened (`Message.system`); `user.bot` is stored too. */
  system?: SystemNote;
  /**
   * A thread reply: the id of a top-level message of the room (the server resolves a reply's id to
   * its parent's first). The store changes the parent's `thread` summary and gives it the room's
   * next `rev` in the same atomic step as the append.
   */
  threadOf?: string;
  /** With `threadOf`: in the main log too. */
  alsoInRoom?: boolean;
}

/** A stored member of a room (direct and private rooms, and every stored room a user joined). */
export interface RoomMember {
  user: UserRef;
  /** ISO time the user became a member. */
  addedAt: string;
  /** The seq the user has read up to (0: nothing). */
  readSeq: number;
  notifications: NotificationLevel;
}

/** A user as the store remembers them (the latest name and avatar seen, and when last seen). */
export interface StoredUser extends UserRef {
  /** ISO time the user's last socket went away; absent if never recorded. */
  lastSeenAt?: string;
}

/** The result of `markRead`: the mark after, and whether it moved. */
export interface ReadMarkResult {
  seq: number;
  changed: boolean;
}

/** One row of `conversations`: a room the user belongs to, with counts the store keeps (no scans). */
export interface ConversationRow {
  room: PublicRoom;
  readSeq: number;
  /**
   * Messages of the main log after `readSeq` (thread replies without `alsoInRoom` do not count;
   * `appendMessage` marks a sender's own main-log messages read, so they never count).
   */
  unread: number;
  /**
   * Replies of others after the user's mark in each thread they take part in, those sent
   * `alsoInRoom` too (`markThreadRead`; the room's `readSeq` does not cover them), absent when none.
   */
  threadUnread?: number;
  /** Messages after `readSeq` that mention the user. */
  mentions: number;
  lastMessage?: Message;
  notifications: NotificationLevel;
  /** Direct rooms only: the stored members (the user included), oldest first (ties by id). */
  members?: UserRef[];
}

/** One page of history: `before` pages back, `after` pages forward, neither gives the latest. */
export interface MessageQuery {
  /**
   * The replies of this thread (by seq) instead of the main log. Without it, `before`/`after` pages
   * hold the main log only: messages without `threadOf`, and replies with `alsoInRoom`.
   * `changedAfter` ignores it and covers every message of the room.
   */
  threadOf?: string;
  before?: number;
  after?: number;
  /**
   * Messages whose `rev` is above this, ordered by `rev` (not seq), each once in its current
   * state; not with `before`/`after`. `hasMore` then says more changed messages exist.
   * Never returns unchanged messages (rev 0): a value below 0 reads as 0.
   */
  changedAfter?: number;
  /** With `changedAfter`: only seq >= minSeq. */
  minSeq?: number;
  /** With `changedAfter`: only seq <= maxSeq. */
  maxSeq?: number;
  limit: number;
}

/** A page of messages, oldest first; `hasMore` is about the direction asked. */
export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
  /**
   * The room's first seq still held, when older messages were removed (`expireMessages`, a trimmed
   * memory store) and the page reaches back to them (see `MessageHistoryResult.historyStart`).
   */
  historyStart?: number;
}

/** The result of `appendMessage`: the stored message, and whether it was stored before. */
export interface AppendResult {
  message: Message;
  /** True when a message with the same `roomId` and `clientId` already existed; it is returned unchanged. */
  duplicate: boolean;
  /** For a new thread reply: its parent after the summary changed (with its new `rev`). */
  parent?: Message;
}

/**
 * The core every store must have: rooms, members, messages (threads included) and their history,
 * changes, read marks, conversations, users and their standing in rooms. What a capability keeps
 * beside it is a part of its own (`PushStore`, `SearchStore`, `ModerationStore`, `RetentionStore`,
 * `UserDataStore`, a plugin's `StorePart`); a store of a host's own may implement the core alone
 * (docs/storage.md). Methods may throw `ChatError` (e.g. `ROOM_NOT_FOUND`).
 */
export interface ChatStoreCore {
  /** Prepares the store (migrations, connections); called once by `createChatServer`. */
  init?(): Promise<void> | void;
  /**
   * Creates a room atomically. When `input.id` exists already, returns the existing room
   * unchanged with `created: false` (two first joins may race; the server refuses a taken id
   * in `chat.createRoom` by this flag).
   */
  createRoom(input: CreateRoomInput): Promise<CreateRoomResult>;
  getRoom(id: string): Promise<Room | null>;
  listRooms(query?: RoomQuery): Promise<Room[]>;
  /** Changes a room; `ROOM_NOT_FOUND` when there is none. */
  updateRoom(id: string, patch: RoomPatch): Promise<Room>;
  /**
   * Stores a message with the next per-room seq; idempotent on `roomId + clientId`. In the same
   * atomic step, moves the sender's read mark to the new message when the sender is a stored
   * member (one's own messages are never unread); a duplicate moves nothing.
   */
  appendMessage(draft: MessageDraft): Promise<AppendResult>;
  /**
   * Optional: calls `listener` once with each message an `appendMessage` failed past a deadline
   * stored after all (the database got it late), unless a resend was answered with it as new;
   * returns the function that stops listening. The server announces each, as if just sent.
   */
  onStoredLate?(listener: (message: Message) => void): () => void;
  /** One message of a room by id, or null. */
  getMessage(roomId: string, id: string): Promise<Message | null>;
  listMessages(roomId: string, query: MessageQuery): Promise<MessagePage>;
  /**
   * Applies one change to a message atomically (edit, delete, reaction). `MESSAGE_NOT_FOUND`
   * when the room has no such message, or (for edit and react) when it was deleted.
   */
  changeMessage(roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult>;
  /** The room's change counter: the highest `rev` any of its messages was given (0 if none). */
  roomRev(roomId: string): Promise<number>;
  /**
   * Who takes part in a thread: its parent's author, everyone who replied, and everyone a reply
   * mentioned when it was stored (their mark in the thread set just before that reply), user ids in no order.
   */
  threadParticipants(roomId: string, threadOf: string): Promise<string[]>;
  /**
   * Makes users stored members of a room (idempotent; a member keeps its read mark and level).
   * Also `saveUser`s them. A new member starts at level `all` and at the read mark their last
   * ended membership of the room kept (at most the room's last seq), else 0. `ROOM_NOT_FOUND`
   * when there is no such room (an empty list does nothing).
   */
  addMembers(roomId: string, users: UserRef[]): Promise<void>;
  /**
   * Ends these users' membership: their levels go, their read marks are kept for a membership that
   * starts again (`eraseUserRecords` takes them); unknown ids and rooms are ignored.
   */
  removeMembers(roomId: string, userIds: string[]): Promise<void>;
  /** The stored members of a room, oldest first (ties by user id), with their users' latest names. */
  listMembers(roomId: string): Promise<RoomMember[]>;
  /** Whether a user is a stored member of a room. */
  isMember(roomId: string, userId: string): Promise<boolean>;
  /**
   * The notification levels of those of `userIds` who are stored members of the room, in one
   * read however many are asked (a message mentioning thousands); non-members are left out.
   */
  memberLevels(roomId: string, userIds: string[]): Promise<Map<string, NotificationLevel>>;
  /**
   * Moves a member's read mark forward to `seq`, clamped to the room's last seq; a lower seq
   * leaves it (`changed: false`). Atomic: two marks at once end at the higher. A non-member
   * gets `NOT_IN_ROOM`; a seq that is not a whole number `VALIDATION_FAILED`.
   */
  markRead(roomId: string, userId: string, seq: number): Promise<ReadMarkResult>;
  /**
   * Moves a member's mark in one thread (`threadOf`: a top-level message's id; the server checks it)
   * forward to `seq`, as `markRead` moves the room's: clamped to the room's last seq, atomic, a lower
   * seq leaves it. A new thread reply moves its sender's mark in its thread the same way.
   * `NOT_IN_ROOM` for a non-member; `VALIDATION_FAILED` for a seq that is not a whole number.
   */
  markThreadRead(roomId: string, userId: string, threadOf: string, seq: number): Promise<ReadMarkResult>;
  /**
   * The threads of a room the user takes part in (`threadParticipants`), each with its replies of
   * others after their mark in it (those sent `alsoInRoom` too; 0 allowed): those with unread
   * replies first, the newest such reply first, then the others by their newest reply; at most `limit`.
   */
  threadReads(roomId: string, userId: string, limit: number): Promise<ThreadRead[]>;
  /**
   * How many messages of the room's main log have a seq in (`after`, `upTo`]: the seqs between,
   * less the thread-only replies among them, counted as `conversations` counts `unread` (deleted
   * messages count; counters and an index, no scan). 0 for an unknown room. Optional: without it
   * the server counts the seqs (thread-only replies included) for what a join's page does not reach.
   */
  mainLogCount?(roomId: string, after: number, upTo: number): Promise<number>;
  /** Stores a member's notification level for a room (`NOT_IN_ROOM` for a non-member, `VALIDATION_FAILED` for an unknown level). */
  setNotifications(roomId: string, userId: string, level: NotificationLevel): Promise<void>;
  /**
   * The rooms a user is a member of, ended ones left out, newest activity first (last message,
   * else membership), at most `limit`. Unread and mention counts come from counters and indexes,
   * never from scanning messages. `lastMessage` is the room's newest message (deleted ones too).
   */
  conversations(userId: string, options: { limit: number }): Promise<ConversationRow[]>;
  /**
   * Remembers a user's latest name and avatar, and with `lastSeenAt` when they were last seen
   * (it only moves forward; without it the stored one is kept).
   */
  saveUser(user: UserRef, lastSeenAt?: string): Promise<void>;
  /** The stored users among these ids, in the order asked, each once (unknown ids are left out). */
  getUsers(ids: string[]): Promise<StoredUser[]>;
  /** A user's standing in a room (role, ban, mute), or null when nothing is set. */
  getStanding(roomId: string, userId: string): Promise<RoomStanding | null>;
  /** Every user of the room with something set (role, ban or mute, expired ones too), by user id. */
  listStandings(roomId: string): Promise<RoomStanding[]>;
  /**
   * Changes a user's standing atomically and returns it (null when nothing is left set).
   * `ROOM_NOT_FOUND` when there is no such room.
   */
  setStanding(roomId: string, userId: string, patch: StandingPatch): Promise<RoomStanding | null>;
  /**
   * Runs `task` unless another process sharing this store runs the task of that name now (then
   * resolves false at once). A store no other process shares (MemoryStore) leaves it out: the
   * server then runs the task itself.
   */
  exclusive?(name: string, task: () => Promise<void>): Promise<boolean>;
  /** What encrypted rooms need kept (key packages, commits, welcomes); without it, `e2ee:*` events answer `FORBIDDEN`. */
  readonly e2ee?: E2eeStore;
  /** A plugin's store part on this store (docs/plugins.md), or undefined when this store has none. */
  part?<Part>(spec: StorePart<Part>): Part | undefined;
  close(): Promise<void> | void;
}
