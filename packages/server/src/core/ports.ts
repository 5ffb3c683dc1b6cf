// Ports: the narrow interfaces through which the kernel and the capabilities reach a capability
// they must not import (its class lives in its own folder; the facade wires the two).
import type { Attachment, Call, ChatUser, Member, Message, PresenceDelta, Room, RoomRemovedEvent, UserRef } from '@chat/protocol';
import type { RoomPatch } from './chat-store.js';
import type { RoomStanding } from './moderation-records.js';
import type { ChatHandshake } from './handshake.js';
import type { RateLimiter } from './rate-limiter.js';

/** A socket of this process as the handlers of a capability see it. */
export interface SocketCaller {
  readonly user: ChatUser;
  readonly handshake: ChatHandshake;
  readonly socketId: string;
  /** The rooms the socket has joined. */
  readonly rooms: ReadonlySet<string>;
  connected(): boolean;
}

/** One client event's handler: parses its payload, answers the ack's result or throws a `ChatError`. */
type SocketHandler = (payload: unknown) => Promise<unknown>;

/**
 * A capability's handlers of client events for one socket, made on the socket's first such event
 * (`caller` is read at each call: a refreshed token changes the user).
 */
export type SocketHandlers = (caller: () => SocketCaller) => Record<string, SocketHandler>;

/** The bans of the audience rule, as the paths that admit someone to a room ask them (moderation's `WriteGuard` is one). */
export interface BanCheck {
  /** A join: `BANNED` (with `until`) for a user banned from the room, read from the store. */
  join(room: Room, user: ChatUser): Promise<void>;
  /** A request about a room from someone not in it (REST, a change): `BANNED` for a user banned from it. */
  notBanned(room: Room, user: ChatUser): Promise<void>;
}

/** Calls, as the other capabilities reach them (`CapabilityContext.calls`), and as the calls capability hears the kernel's bus. */
export interface CallsPort {
  /** The calls going on in a room (for a join's answer). */
  inRoom(roomId: string): Promise<Call[]>;
  /** A socket went away: it leaves its call. */
  socketGone(socketId: string): void;
  /** A socket left a room: it leaves a call there. */
  leftRoom(socketId: string, roomId: string): void;
  /** A room ended: its calls end. */
  roomEnded(roomId: string): void;
  /** Users are no longer members of a room: they leave its calls. */
  usersRemoved(roomId: string, userIds: ReadonlySet<string>): void;
}

/** A standing changed: every process forgets the room's standings, and takes the user's sockets out with `removal`. */
export interface ModeratedSignal {
  roomId: string;
  userId: string;
  removal?: Omit<RoomRemovedEvent, 'roomId'>;
}

/** Changes a room as `chat.updateRoom` does (signals, `room:updated`), with the actor for the audit log. */
export type UpdateRoom = (roomId: string, patch: Omit<RoomPatch, 'endedAt'>, actor: UserRef) => Promise<Room>;

/** Moderation's state, as the parts that check or change standings see it. */
export interface ModerationPort {
  /** The standings of a room's users, briefly cached. */
  readonly standings: { of(roomId: string, userId: string): Promise<RoomStanding | undefined> };
  /** Slow mode's buckets (shared by a cluster's processes). */
  readonly rates: RateLimiter;
  /** A standing changed: every process forgets it, and the user's sockets leave with `removal`. */
  changed(signal: ModeratedSignal): Promise<void>;
  /** Whether the user is connected with the `admin` role on any process. */
  adminOnline(userId: string): Promise<boolean>;
  /** Members with their role and mute in the room. */
  decorate(room: Room, members: readonly Member[]): Promise<Member[]>;
  /** Shows a presence delta with each member's standing, in order; resolves once it is handed to the adapter. */
  publishPresence(delta: PresenceDelta, emit: (delta: PresenceDelta) => void): Promise<void>;
  /** `chat.updateRoom`'s path with an actor (freeze and slow mode from `moderation:room`). */
  readonly updateRoom: UpdateRoom;
}

/** Typing indicators, as the socket session and the message path see them (kernel/presence/typing-tracker.ts). */
export interface TypingPort {
  /** A user started or stopped typing in a room. */
  set(roomId: string, user: UserRef, typing: boolean): void;
  /** The user stopped typing there (sent a message, left). */
  clear(roomId: string, userId: string): void;
  /** Removes a user this process does not track (gone with a dead process) and publishes the list. */
  forget(roomId: string, userId: string): void;
  close(): void;
}

/** Reaction updates, coalesced per message (capabilities/messages). */
export interface ReactionsPort {
  /** A reaction changed `message` (the store's answer); the acting socket has it in its ack. */
  changed(message: Message, ephemeral: boolean, exceptSocketId?: string): void;
  /** `message` went out whole (an edit or delete): a pending reaction update it includes is not needed. */
  superseded(message: Message): void;
  close(): void;
}

/** Read receipts, coalesced per reader and room (capabilities/conversations). */
export interface ReadsPort {
  /** A reader's mark moved to `seq`. */
  marked(roomId: string, userId: string, seq: number): void;
  close(): void;
}

/** What is kept about a file a user uploaded (`chat.exportUser`). */
export interface UploadedFile {
  /** The stored file's name. */
  file: string;
  type: string;
  /** The name shown. */
  name: string;
  size: number;
  createdAt: string;
}

/** The message a send's files go with, known before it has an id. */
export interface MessageKey {
  /** The room it is sent to. */
  roomId: string;
  /** The sender's idempotency key (`message.clientId`). */
  clientId: string;
  /** The sender (`message.user.id`). */
  userId: string;
}

/**
 * The files of a message being deleted, marked: `remove()` once its row changed. If that failed,
 * the marks stay: the uploads' sweep drops those whose message the store still has.
 */
export interface FilesRelease {
  /** Removes the marked files, their descriptions and records, and lastly the marks. */
  remove(): Promise<void>;
}

/**
 * The uploads' storage as the message path, retention and a person's data reach it (the facade
 * makes it from the `uploads` option): files of deleted messages go, a user's files are listed and removed.
 */
export interface FilesPort {
  /** Whether the server has `uploads`: without it no file is listed or removed (a person's export and erase refuse). */
  readonly configured: boolean;
  /**
   * A message carrying these attachments (and, encrypted, these declared `uploads`) is about to be
   * stored: they are sent, and its own (throws a `ChatError` for a file that is gone, another
   * message's, or another user's or room's declared upload).
   */
  attach(attachments: readonly Attachment[], message: MessageKey, uploads: readonly string[]): Promise<void>;
  /** A message is about to be deleted (retention: was): its files, marked, to remove after the row change. */
  release(message: Message): Promise<FilesRelease>;
  /** What is stored of the files the user uploaded (empty when the storage cannot tell). */
  filesOf(userId: string): Promise<UploadedFile[]>;
  /** Removes every file the user uploaded. */
  removeFilesOf(userId: string): Promise<void>;
}
