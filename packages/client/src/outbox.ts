import type { Attachment, ChatError, Message } from '@chat/protocol';

/** State of a message that has not been acknowledged by the server. */
export const OutboxStatus = {
  /** Waiting to be sent, or sent and waiting for the ack (resent after a reconnect). */
  PENDING: 'pending',
  /** Refused by the server; it will not be resent. */
  FAILED: 'failed',
} as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

/** A message in the outbox, as a UI shows it before the server has it. */
export interface OutboxEntry {
  clientId: string;
  roomId: string;
  text: string;
  attachments: Attachment[];
  replyTo?: string;
  status: OutboxStatus;
  error?: ChatError;
  /** When `send()` was called (ISO time). */
  createdAt: string;
}

interface Waiter {
  resolve: (message: Message) => void;
  reject: (error: ChatError) => void;
}

/**
 * Messages of one room that the server has not acknowledged yet, in send order. An entry
 * keeps its `clientId` across resends, so the server stores it once however often it goes.
 */
export class Outbox {
  readonly #entries = new Map<string, OutboxEntry>();
  readonly #waiters = new Map<string, Waiter>();
  readonly #inFlight = new Set<string>();

  add(entry: OutboxEntry): Promise<Message> {
    this.#entries.set(entry.clientId, entry);
    return new Promise<Message>((resolve, reject) => this.#waiters.set(entry.clientId, { resolve, reject }));
  }

  /** Entries waiting to go, oldest first, that are not on the wire now. */
  sendable(): OutboxEntry[] {
    return [...this.#entries.values()].filter((e) => e.status === OutboxStatus.PENDING && !this.#inFlight.has(e.clientId));
  }

  /** Marks an entry as on the wire; false when it already is (or is gone). */
  claim(clientId: string): boolean {
    if (!this.#entries.has(clientId) || this.#inFlight.has(clientId)) return false;
    this.#inFlight.add(clientId);
    return true;
  }

  /** The send did not get an answer (disconnect, timeout): it stays pending for the next try. */
  release(clientId: string): void {
    this.#inFlight.delete(clientId);
  }

  /** The server stored it: the entry leaves, `send()` resolves. */
  acked(clientId: string, message: Message): void {
    this.#inFlight.delete(clientId);
    this.#entries.delete(clientId);
    this.#waiters.get(clientId)?.resolve(message);
    this.#waiters.delete(clientId);
  }

  /** The server refused it: the entry stays visible as failed, `send()` rejects. */
  failed(clientId: string, error: ChatError): void {
    this.#inFlight.delete(clientId);
    const entry = this.#entries.get(clientId);
    if (entry) {
      entry.status = OutboxStatus.FAILED;
      entry.error = error;
    }
    this.#waiters.get(clientId)?.reject(error);
    this.#waiters.delete(clientId);
  }

  /**
   * Puts a failed entry back in line with the same `clientId` (so that, if an earlier try was
   * stored after all, the server returns that one instead of storing it twice).
   */
  requeue(clientId: string): Promise<Message> | undefined {
    const entry = this.#entries.get(clientId);
    if (!entry || entry.status !== OutboxStatus.FAILED) return undefined;
    entry.status = OutboxStatus.PENDING;
    delete entry.error;
    return new Promise<Message>((resolve, reject) => this.#waiters.set(clientId, { resolve, reject }));
  }

  /** Removes a failed entry (the user dismissed it or sent it again). */
  remove(clientId: string): OutboxEntry | undefined {
    const entry = this.#entries.get(clientId);
    this.#entries.delete(clientId);
    return entry;
  }

  /** Fails every entry still waiting (the room was left or the client closed). */
  failAll(error: ChatError): void {
    for (const entry of this.#entries.values()) {
      if (entry.status === OutboxStatus.PENDING) this.failed(entry.clientId, error);
    }
  }

  entries(): OutboxEntry[] {
    return [...this.#entries.values()];
  }
}
