import { builtInError } from '@chat/protocol';
import type { ChatLimits } from '@chat/protocol';
import { TokenBucket } from './token-bucket.js';

/**
 * What one user may cost the server, over all of the user's sockets (and REST calls) on this
 * process: events per second, messages per second, bytes of history sent, and requests worked
 * on at once. A user with many tabs shares one budget, so opening sockets buys no more.
 */
export class UserBudget {
  /** `message:send` (its own, slower bucket). */
  readonly messages: TokenBucket;
  /** Every other request. */
  readonly events: TokenBucket;
  /** Bytes of history sent (join pages, history pages, REST), charged after each answer. */
  readonly readBytes: TokenBucket;
  /** `call:signal` (its own bucket: ICE candidates come in bursts). */
  readonly signals: TokenBucket;
  #inFlight = 0;

  constructor(private readonly limits: Readonly<ChatLimits>) {
    this.messages = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
    this.events = new TokenBucket(limits.eventBurst, limits.eventsPerSecond);
    this.readBytes = new TokenBucket(limits.readBytesBurst, limits.readBytesPerSecond);
    this.signals = new TokenBucket(limits.signalBurst, limits.signalsPerSecond);
  }

  /** Requests of this user being worked on now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Starts a request: throws `RATE_LIMITED` when the user already has the most requests in
   * flight. Call the returned function when the work is over (not when a timeout answered).
   */
  begin(): () => void {
    if (this.#inFlight >= this.limits.maxRequestsInFlightPerUser) {
      throw builtInError('RATE_LIMITED', 'You have too many requests waiting for an answer. Please wait for them.', {
        retryAfter: 100,
      });
    }
    this.#inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight--;
    };
  }

  /** Throws `RATE_LIMITED` while the user has been sent more history than the budget allows. */
  checkRead(): void {
    const wait = this.readBytes.wait();
    if (wait > 0) {
      throw builtInError('RATE_LIMITED', `You are loading history too fast. Try again in ${Math.ceil(wait / 1000)} s.`, {
        retryAfter: wait,
      });
    }
  }

  /** True when nothing about the user needs remembering (all buckets full, nothing running). */
  idle(): boolean {
    return this.#inFlight === 0 && this.messages.full() && this.events.full() && this.readBytes.full() && this.signals.full();
  }
}

/** What of a message {@link messagesCost} weighs. */
export interface CostedMessage {
  text: string;
  attachments: ReadonlyArray<{ url: string; type: string; name?: string }>;
  mentions?: readonly string[];
  reactions?: Readonly<Record<string, { userIds: readonly string[] }>>;
}

/**
 * What sending these messages costs, in bytes, near enough: text, attachments, mentions,
 * reactions (their listed user ids: 20 emojis of 25 long ids are some 100 KB) and a fixed
 * overhead per message. Cheaper than serialising them twice.
 */
export function messagesCost(messages: ReadonlyArray<CostedMessage>): number {
  let bytes = 0;
  for (const m of messages) {
    bytes += 200 + m.text.length;
    for (const a of m.attachments) bytes += 40 + a.url.length + a.type.length + (a.name?.length ?? 0);
    for (const id of m.mentions ?? []) bytes += 3 + id.length;
    for (const [emoji, { userIds }] of Object.entries(m.reactions ?? {})) {
      bytes += 30 + emoji.length;
      for (const id of userIds) bytes += 3 + id.length;
    }
  }
  return bytes;
}
