import { randomUUID } from 'node:crypto';
import type { Message } from '@chat/protocol';
import type { AppendResult, MessageDraft } from '../store/chat-store.js';

/**
 * Seqs and resend detection for ephemeral rooms, whose messages are broadcast but never
 * stored. In this process by default; in Redis with `redisCluster`.
 */
export interface EphemeralLog {
  append(draft: MessageDraft): Promise<AppendResult>;
  /** A recent message of the room by id (for `replyTo`). */
  get(roomId: string, id: string): Promise<Message | undefined>;
  forget(roomId: string): Promise<void> | void;
  /** An id of the room's current seq counter: it changes when the counter starts over. */
  epoch(roomId: string): Promise<string>;
}

/** Builds the message an ephemeral log hands out. */
export function ephemeralMessage(draft: MessageDraft, seq: number): Message {
  return {
    id: randomUUID(),
    roomId: draft.roomId,
    seq,
    clientId: draft.clientId,
    user: draft.user,
    text: draft.text,
    attachments: draft.attachments,
    createdAt: new Date().toISOString(),
    ...(draft.replyTo !== undefined && { replyTo: draft.replyTo }),
  };
}

interface RoomLog {
  epoch: string;
  nextSeq: number;
  /** Recent messages by clientId, oldest first. */
  recent: Map<string, Message>;
}

/** The default: keeps the last `keep` messages of each room in this process. */
export class LocalEphemeralLog implements EphemeralLog {
  readonly #rooms = new Map<string, RoomLog>();

  constructor(private readonly keep = 200) {}

  async append(draft: MessageDraft): Promise<AppendResult> {
    const log = this.#log(draft.roomId);
    const existing = log.recent.get(draft.clientId);
    if (existing) return { message: existing, duplicate: true };
    const message = ephemeralMessage(draft, log.nextSeq++);
    log.recent.set(draft.clientId, message);
    if (log.recent.size > this.keep) log.recent.delete(log.recent.keys().next().value as string);
    return { message, duplicate: false };
  }

  async get(roomId: string, id: string): Promise<Message | undefined> {
    for (const message of this.#rooms.get(roomId)?.recent.values() ?? []) if (message.id === id) return message;
    return undefined;
  }

  forget(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  async epoch(roomId: string): Promise<string> {
    return this.#log(roomId).epoch;
  }

  #log(roomId: string): RoomLog {
    let log = this.#rooms.get(roomId);
    if (!log) {
      log = { epoch: randomUUID(), nextSeq: 1, recent: new Map() };
      this.#rooms.set(roomId, log);
    }
    return log;
  }
}
