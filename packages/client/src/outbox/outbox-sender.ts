import { builtInError, ChatError, type Message } from '@chat/protocol';
import { TIMEOUT_RETRY_MS, waitBeforeRetry } from '../core/retry-policy.js';
import { ConnectionLostError, type ServerLink } from '../core/transport.js';
import type { OutboxEntry } from './outbox-entry.js';
import type { Outbox } from './outbox.js';

/** What {@link OutboxSender} needs from its room. */
export interface SenderHost {
  readonly roomId: string;
  readonly link: ServerLink;
  readonly outbox: Outbox;
  /** The room is joined (and caught up): its messages may go out while connected. */
  joined(): boolean;
  /** Your id in the room, once the first join said who you are. */
  selfId(): string | undefined;
  /** The message held with this clientId (another page may have sent it). */
  held(clientId: string): Message | undefined;
  closed(): boolean;
  /** A message of the outbox was stored: the room adds (and announces) it. */
  stored(message: Message): void;
  /** The outbox changed: the room tells its listeners. */
  updated(): void;
}

/**
 * Sends a room's outbox: one flusher at a time, oldest first, one message on the wire at a time
 * (the server stores a sender's messages in the order they were sent), waiting out what the
 * server says to wait.
 */
export class OutboxSender {
  readonly #host: SenderHost;
  #flushing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: SenderHost) {
    this.#host = host;
  }

  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    const outbox = this.#host.outbox;
    try {
      for (;;) {
        if (!this.#host.joined() || !this.#host.link.connected) return;
        const self = this.#host.selfId();
        if (self === undefined) return;
        if (!outbox.attachedTo(self)) {
          // The first join says who the sender is: what earlier pages of this user left for
          // this room goes first (a kept outbox, see ChatClientOptions.outbox). A join as
          // another user (new credentials) takes the previous user's entries out, unsent.
          await outbox.attach(self);
          this.#host.updated();
          continue;
        }
        const entry = outbox.sendable()[0];
        if (!entry || !outbox.claim(entry.clientId)) return;
        const retryIn = await this.#deliver(entry);
        if (retryIn !== undefined) {
          this.#scheduleRetry(retryIn);
          return;
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** The room closed: no retry is due any more. */
  stop(): void {
    clearTimeout(this.#retryTimer);
  }

  // Returns a delay when the entry should be tried again later. Runs under the outbox's lock on
  // the entry, so another page of the same user does not send it meanwhile.
  #deliver(entry: OutboxEntry): Promise<number | undefined> {
    return this.#host.outbox.exclusively(entry.clientId, () => this.#deliverNow(entry));
  }

  async #deliverNow(entry: OutboxEntry): Promise<number | undefined> {
    const host = this.#host;
    const outbox = host.outbox;
    const clientId = entry.clientId;
    // Another page may have delivered it, or seen it refused, while this one waited.
    const go = await outbox.stillToSend(clientId, () => host.held(clientId));
    if (!go || !host.link.connected) {
      // Settled by another page: nothing to send. Or offline now: it waits for the next flush,
      // without holding the lock while the connection is away.
      if (go) outbox.release(clientId);
      else host.updated();
      return undefined;
    }
    try {
      const { message } = await host.link.request('message:send', {
        roomId: host.roomId,
        clientId: entry.clientId,
        text: entry.text,
        ...(entry.attachments.length > 0 && { attachments: entry.attachments }),
        ...(entry.replyTo !== undefined && { replyTo: entry.replyTo }),
        ...(entry.mentions !== undefined && { mentions: entry.mentions }),
        ...(entry.threadOf !== undefined && { threadOf: entry.threadOf }),
        ...(entry.alsoInRoom === true && { alsoInRoom: true }),
      });
      const forgotten = outbox.acked(entry.clientId, message);
      // Stored, so send() resolves; but a room left meanwhile shows nothing new.
      if (!host.closed()) host.stored(message);
      // The lock is held until the kept outbox has forgotten the entry too.
      await forgotten;
      return undefined;
    } catch (error) {
      if (error instanceof ConnectionLostError) {
        outbox.release(entry.clientId);
        return host.link.connected ? TIMEOUT_RETRY_MS : undefined;
      }
      const chatError = error instanceof ChatError ? error : builtInError('INTERNAL', String(error), { cause: error });
      // Not refused: RATE_LIMITED says when to come back; TIMEOUT says the outcome is unknown,
      // and the same clientId makes the resend safe (stored once).
      const wait = waitBeforeRetry(chatError);
      if (wait !== undefined) {
        outbox.release(entry.clientId);
        return wait;
      }
      const kept = outbox.failed(entry.clientId, chatError);
      host.updated();
      await kept;
      return undefined;
    }
  }

  #scheduleRetry(ms: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.flush(), ms);
  }
}
