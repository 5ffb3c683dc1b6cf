import { randomUUID } from 'node:crypto';
import { ChatError, type Message, type Room } from '@chat/protocol';
import type {
  AppendResult,
  ChatStore,
  CreateRoomInput,
  CreateRoomResult,
  MessageDraft,
  MessagePage,
  MessageQuery,
  RoomPatch,
  RoomQuery,
} from './chat-store.js';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Messages kept per room; older ones are dropped (their seqs are never reused). @default 10000 */
  maxMessagesPerRoom?: number;
}

interface RoomLog {
  room: Room;
  /** Messages in seq order; `messages[i].seq === firstSeq + i`. */
  messages: Message[];
  firstSeq: number;
  nextSeq: number;
  byClientId: Map<string, Message>;
  byId: Map<string, Message>;
}

/**
 * The default store: everything in this process's memory, gone on restart. Right for the
 * demo, tests and single-process apps that need no durable history.
 */
export class MemoryStore implements ChatStore {
  readonly #rooms = new Map<string, RoomLog>();
  readonly #maxPerRoom: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#maxPerRoom = options.maxMessagesPerRoom ?? 10_000;
  }

  async createRoom(input: CreateRoomInput): Promise<CreateRoomResult> {
    const id = input.id ?? randomUUID();
    const existing = this.#rooms.get(id);
    if (existing) return { room: clone(existing.room), created: false };
    const room: Room = { id, options: { ...input.options }, createdAt: new Date().toISOString() };
    if (input.title !== undefined) room.title = input.title;
    if (input.metadata !== undefined) room.metadata = structuredClone(input.metadata);
    if (input.privateMetadata !== undefined) room.privateMetadata = structuredClone(input.privateMetadata);
    if (input.createdBy !== undefined) room.createdBy = input.createdBy;
    this.#rooms.set(id, { room, messages: [], firstSeq: 1, nextSeq: 1, byClientId: new Map(), byId: new Map() });
    return { room: clone(room), created: true };
  }

  async getRoom(id: string): Promise<Room | null> {
    const log = this.#rooms.get(id);
    return log ? clone(log.room) : null;
  }

  async listRooms(query: RoomQuery = {}): Promise<Room[]> {
    const limit = query.limit ?? 100;
    const rooms: Room[] = [];
    for (const { room } of this.#rooms.values()) {
      if (room.endedAt && !query.includeEnded) continue;
      if (query.createdBy !== undefined && room.createdBy !== query.createdBy) continue;
      rooms.push(room);
    }
    rooms.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return rooms.slice(0, limit).map(clone);
  }

  async updateRoom(id: string, patch: RoomPatch): Promise<Room> {
    const log = this.#requireRoom(id);
    const room = log.room;
    if (patch.title !== undefined) room.title = patch.title;
    if (patch.metadata !== undefined) room.metadata = structuredClone(patch.metadata);
    if (patch.privateMetadata !== undefined) room.privateMetadata = structuredClone(patch.privateMetadata);
    if (patch.options !== undefined) room.options = { ...room.options, ...patch.options };
    if (patch.endedAt !== undefined && !room.endedAt) room.endedAt = patch.endedAt;
    return clone(room);
  }

  async appendMessage(draft: MessageDraft): Promise<AppendResult> {
    const log = this.#requireRoom(draft.roomId);
    const existing = log.byClientId.get(draft.clientId);
    if (existing) return { message: clone(existing), duplicate: true };
    const message: Message = {
      id: randomUUID(),
      roomId: draft.roomId,
      seq: log.nextSeq++,
      clientId: draft.clientId,
      user: { ...draft.user },
      text: draft.text,
      attachments: draft.attachments.map((a) => ({ ...a })),
      createdAt: new Date().toISOString(),
    };
    if (draft.replyTo !== undefined) message.replyTo = draft.replyTo;
    log.messages.push(message);
    log.byClientId.set(message.clientId, message);
    log.byId.set(message.id, message);
    if (log.messages.length > this.#maxPerRoom) {
      const dropped = log.messages.shift() as Message;
      log.firstSeq++;
      log.byClientId.delete(dropped.clientId);
      log.byId.delete(dropped.id);
    }
    return { message: clone(message), duplicate: false };
  }

  async getMessage(roomId: string, id: string): Promise<Message | null> {
    const found = this.#rooms.get(roomId)?.byId.get(id);
    return found ? clone(found) : null;
  }

  async listMessages(roomId: string, query: MessageQuery): Promise<MessagePage> {
    const log = this.#rooms.get(roomId);
    if (!log) return { messages: [], hasMore: false };
    const { messages, firstSeq } = log;
    const limit = Math.max(0, query.limit);
    if (query.after !== undefined) {
      const start = Math.max(0, query.after + 1 - firstSeq);
      const end = Math.min(messages.length, start + limit);
      return { messages: messages.slice(start, end).map(clone), hasMore: end < messages.length };
    }
    const end = query.before === undefined ? messages.length : Math.max(0, Math.min(messages.length, query.before - firstSeq));
    const start = Math.max(0, end - limit);
    return { messages: messages.slice(start, end).map(clone), hasMore: start > 0 };
  }

  async close(): Promise<void> {
    this.#rooms.clear();
  }

  #requireRoom(id: string): RoomLog {
    const log = this.#rooms.get(id);
    if (!log) throw new ChatError('ROOM_NOT_FOUND', `There is no room "${id}".`);
    return log;
  }
}

// Callers get copies so that nothing they change alters what is stored. Messages and rooms
// have known shapes, so they are copied field by field (structuredClone was the costliest
// part of a send in profiles); only the host's free-form metadata needs a deep clone.
function clone<T extends Message | Room>(value: T): T {
  return ('seq' in value ? copyMessage(value) : copyRoom(value as Room)) as T;
}

function copyMessage(m: Message): Message {
  const copy: Message = { ...m, user: { ...m.user }, attachments: m.attachments.map((a) => ({ ...a })) };
  return copy;
}

function copyRoom(r: Room): Room {
  const copy: Room = { ...r, options: { ...r.options } };
  if (r.metadata !== undefined) copy.metadata = structuredClone(r.metadata);
  if (r.privateMetadata !== undefined) copy.privateMetadata = structuredClone(r.privateMetadata);
  return copy;
}
