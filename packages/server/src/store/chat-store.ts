import type { Attachment, Message, Room, RoomOptions, UserRef } from '@chat/protocol';

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
  attachments: Attachment[];
  replyTo?: string;
}

/** One page of history: `before` pages back, `after` pages forward, neither gives the latest. */
export interface MessageQuery {
  before?: number;
  after?: number;
  limit: number;
}

/** A page of messages, oldest first; `hasMore` is about the direction asked. */
export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
}

/** The result of `appendMessage`: the stored message, and whether it was stored before. */
export interface AppendResult {
  message: Message;
  /** True when a message with the same `roomId` and `clientId` already existed; it is returned unchanged. */
  duplicate: boolean;
}

/**
 * Where rooms and messages live. `MemoryStore` is the default; every implementation passes
 * the same conformance suite. Methods may throw `ChatError` (e.g. `ROOM_NOT_FOUND`).
 */
export interface ChatStore {
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
  /** Stores a message with the next per-room seq; idempotent on `roomId + clientId`. */
  appendMessage(draft: MessageDraft): Promise<AppendResult>;
  /** One message of a room by id, or null. */
  getMessage(roomId: string, id: string): Promise<Message | null>;
  listMessages(roomId: string, query: MessageQuery): Promise<MessagePage>;
  close(): Promise<void> | void;
}
