import { randomUUID } from 'node:crypto';
import type { Message } from '@chat/protocol';
import type { AppendResult, MessageDraft } from '../store/chat-store.js';

interface RoomLog {
  nextSeq: number;
  /** Recent messages by clientId, oldest first, for idempotent resends and reply checks. */
  recent: Map<string, Message>;
}

/**
 * Seqs and resend detection for ephemeral rooms, whose messages are broadcast but never
 * stored. Keeps only the last `keep` messages of each room, in memory.
 */
export class EphemeralLog {
  readonly #rooms = new Map<string, RoomLog>();

  constructor(private readonly keep = 200) {}

  append(draft: MessageDraft): AppendResult {
    let log = this.#rooms.get(draft.roomId);
    if (!log) {
      log = { nextSeq: 1, recent: new Map() };
      this.#rooms.set(draft.roomId, log);
    }
    const existing = log.recent.get(draft.clientId);
    if (existing) return { message: existing, duplicate: true };
    const message: Message = {
      id: randomUUID(),
      roomId: draft.roomId,
      seq: log.nextSeq++,
      clientId: draft.clientId,
      user: draft.user,
      text: draft.text,
      attachments: draft.attachments,
      createdAt: new Date().toISOString(),
      ...(draft.replyTo !== undefined && { replyTo: draft.replyTo }),
    };
    log.recent.set(draft.clientId, message);
    if (log.recent.size > this.keep) log.recent.delete(log.recent.keys().next().value as string);
    return { message, duplicate: false };
  }

  /** A recent message of a room by id (for `replyTo`). */
  get(roomId: string, id: string): Message | undefined {
    for (const message of this.#rooms.get(roomId)?.recent.values() ?? []) if (message.id === id) return message;
    return undefined;
  }

  forget(roomId: string): void {
    this.#rooms.delete(roomId);
  }
}
