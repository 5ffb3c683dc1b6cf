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
 * server says to wait. With a kept outbox, one page of the user at a time sends the room's
 * entries, those other pages wrote included: the order holds across tabs.
 */
export class OutboxSender {
  readonly #host: SenderHost;
  #flushing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Stops hearing the store's changes (set once attached). */
  #unwatch: (() => void) | undefined;

  constructor(host: SenderHost) {
    this.#host = host;
  }

  async flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    const outbox = this.#host.outbox;
    try {
      for (;;) {
        const self = this.#sender();
        if (self === undefined) return;
        if (!outbox.attachedTo(self)) {
          // The first join says who the sender is: what earlier pages of this user left for
          // this room goes first (a kept outbox, see ChatClientOptions.outbox). A join as
          // another user (new credentials) takes the previous user's entries out, unsent.
          await outbox.attach(self);
          this.#host.updated();
          continue;
        }
        this.#unwatch ??= outbox.onStoreChange(() => this.#storeChanged());
        if (outbox.sendable().length === 0) {
          // Nothing to send but failed entries: another page may have retried, delivered or
          // discarded them meanwhile (while this one was offline, or with a store that does not tell).
          if (outbox.entries().length === 0) return;
          await this.#reread();
          // Looked at again whatever the store said: a send() made here during the read called
          // flush(), which returned at once, this flush being under way.
          if (outbox.sendable().length === 0) return;
        }
        // Under the room's lock: another page of this user waits, then finds what this one sent
        // gone. Entries written meanwhile (here or there) are taken by the next turn of the loop.
        const retryIn = await outbox.exclusively(() => this.#drain(self));
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
    this.#unwatch?.();
  }

  // Another page changed this room's entries in the store: this page shows it and, with locks,
  // sends what became sendable (another page's new or retried entries) in its turn. Without locks
  // it leaves them to their page: both would send each (the server stores it once).
  #storeChanged(): void {
    void this.#reread().then(async () => {
      if (this.#host.outbox.locked) await this.flush();
    });
  }

  // True when the outbox changed (the room is told).
  async #reread(): Promise<boolean> {
    const host = this.#host;
    const changed = await host.outbox.refresh((clientId) => host.held(clientId));
    if (changed) host.updated();
    return changed;
  }

  // Who sends now, while the room is joined and connected.
  #sender(): string | undefined {
    const host = this.#host;
    return host.joined() && host.link.connected ? host.selfId() : undefined;
  }

  // Sends the oldest entry, as the store has it, until none is left, the connection is gone, or
  // the server says to wait (the delay is returned).
  async #drain(self: string): Promise<number | undefined> {
    const host = this.#host;
    const outbox = host.outbox;
    for (;;) {
      if (this.#sender() !== self || !outbox.attachedTo(self)) return undefined;
      await this.#reread();
      const entry = outbox.sendable()[0];
      if (!entry || !host.link.connected || !outbox.claim(entry.clientId)) return undefined;
      const retryIn = await this.#deliver(entry);
      if (retryIn !== undefined) return retryIn;
    }
  }

  // Returns a delay when the entry should be tried again later.
  async #deliver(entry: OutboxEntry): Promise<number | undefined> {
    const host = this.#host;
    const outbox = host.outbox;
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
