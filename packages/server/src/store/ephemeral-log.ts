import { randomUUID } from 'node:crypto';
import { builtInError, ChatError, type Message } from '@chat/protocol';
import type { AppendResult, ChangeResult, MessageChange, MessageDraft, MessagePage, MessageQuery } from '../core/chat-store.js';
import { applyChange, messageOf, type HeldMessage } from './apply-change.js';

/** A `changedAfter` query of an ephemeral log (see `MessageQuery`). */
export type ChangedQuery = Pick<MessageQuery, 'minSeq' | 'maxSeq' | 'limit'> & { changedAfter: number };

/**
 * Seqs, changes and resend detection for ephemeral rooms, whose messages are broadcast but
 * never stored. It holds a room's recent messages only, with a change counter (`rev`) per room
 * and epoch. In this process by default; in Redis with `redisCluster`.
 */
export interface EphemeralLog {
  append(draft: MessageDraft): Promise<AppendResult>;
  /** A recent message of the room by id, in its current state (for `replyTo` and changes). */
  get(roomId: string, id: string): Promise<Message | undefined>;
  /**
   * Applies a change to a recent message atomically, as `ChatStore.changeMessage` does;
   * `MESSAGE_NOT_FOUND` for a message the log no longer holds.
   */
  change(roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult>;
  /** The room's change counter in the current epoch (0 before any change). */
  rev(roomId: string): Promise<number>;
  /** Held messages whose `rev` is above `changedAfter`, in rev order, as `ChatStore.listMessages` answers it. */
  changedAfter(roomId: string, query: ChangedQuery): Promise<MessagePage>;
  forget(roomId: string): Promise<void> | void;
  /** An id of the room's current seq counter: it changes when the counter starts over. */
  epoch(roomId: string): Promise<string>;
}

/** Builds the message an ephemeral log hands out. */
export function ephemeralMessage(draft: MessageDraft, seq: number): Message {
  const message: Message = {
    id: randomUUID(),
    roomId: draft.roomId,
    seq,
    clientId: draft.clientId,
    user: draft.user,
    text: draft.text,
    attachments: draft.attachments,
    createdAt: new Date().toISOString(),
    rev: 0,
  };
  if (draft.ciphertext !== undefined) message.ciphertext = draft.ciphertext;
  if (draft.replyTo !== undefined) message.replyTo = draft.replyTo;
  if (draft.mentions !== undefined && draft.mentions.length > 0) message.mentions = [...draft.mentions];
  if (draft.system !== undefined) message.system = structuredClone(draft.system);
  return message;
}

/** `MESSAGE_NOT_FOUND` for a message an ephemeral log does not hold (never sent, or too old). */
export function notHeld(messageId: string): ChatError {
  return builtInError(
    'MESSAGE_NOT_FOUND',
    `There is no message "${messageId}" in this room (an ephemeral room keeps only its recent messages).`,
  );
}

interface RoomLog {
  epoch: string;
  nextSeq: number;
  rev: number;
  /** Recent messages by clientId, oldest first. */
  recent: Map<string, HeldMessage>;
  byId: Map<string, HeldMessage>;
}

/** The default: keeps the last `keep` messages of each room in this process. */
export class LocalEphemeralLog implements EphemeralLog {
  readonly #rooms = new Map<string, RoomLog>();

  constructor(private readonly keep = 200) {}

  async append(draft: MessageDraft): Promise<AppendResult> {
    const log = this.#log(draft.roomId);
    const existing = log.recent.get(draft.clientId);
    if (existing) return { message: messageOf(existing), duplicate: true };
    const held: HeldMessage = { message: ephemeralMessage(draft, log.nextSeq++), reactors: new Map() };
    log.recent.set(draft.clientId, held);
    log.byId.set(held.message.id, held);
    if (log.recent.size > this.keep) {
      const [clientId, oldest] = log.recent.entries().next().value as [string, HeldMessage];
      log.recent.delete(clientId);
      log.byId.delete(oldest.message.id);
    }
    return { message: messageOf(held), duplicate: false };
  }

  async get(roomId: string, id: string): Promise<Message | undefined> {
    const held = this.#rooms.get(roomId)?.byId.get(id);
    return held && messageOf(held);
  }

  async change(roomId: string, messageId: string, change: MessageChange): Promise<ChangeResult> {
    const log = this.#rooms.get(roomId);
    const held = log?.byId.get(messageId);
    if (!log || !held) throw notHeld(messageId);
    const changed = applyChange(held, change);
    if (changed) held.message.rev = ++log.rev;
    return { message: messageOf(held), changed };
  }

  async rev(roomId: string): Promise<number> {
    return this.#rooms.get(roomId)?.rev ?? 0;
  }

  async changedAfter(roomId: string, query: ChangedQuery): Promise<MessagePage> {
    const { changedAfter, minSeq = 0, maxSeq = Number.MAX_SAFE_INTEGER, limit } = query;
    const changed = [...(this.#rooms.get(roomId)?.byId.values() ?? [])]
      .filter(({ message: m }) => m.rev > changedAfter && m.seq >= minSeq && m.seq <= maxSeq)
      .sort((a, b) => a.message.rev - b.message.rev);
    return { messages: changed.slice(0, limit).map(messageOf), hasMore: changed.length > limit };
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
      log = { epoch: randomUUID(), nextSeq: 1, rev: 0, recent: new Map(), byId: new Map() };
      this.#rooms.set(roomId, log);
    }
    return log;
  }
}
