// Sends pushes with the `web-push` package (loaded on the first push: servers without push never
// load it), from a bounded queue, a few at a time and at most two per user (push-lanes.ts), through
// an agent that refuses inward addresses at connect time (push-agent.ts). A subscription the push service says is gone
// (404, 410) is deleted; a push it failed (5xx, no answer) is tried again after a while. A push
// service that answers 429 is left alone until its Retry-After has passed, for every push to it
// (a burst of pushes is one report, not one per push).
import type { RequestOptions, Urgency } from 'web-push';
import { builtInError, type ChatError } from '@chat/protocol';
import type { StoredPushSubscription } from '../../core/chat-store.js';
import { inwardRefusal, pushAgent, type PushAgent } from './push-agent.js';
import { PushLanes } from './push-lanes.js';
import type { WebPush } from './web-push-options.js';

type WebPushLib = typeof import('web-push');

/** One push to one device. */
export interface PushJob {
  subscription: StoredPushSubscription;
  payload: string;
  topic: string;
  urgency: Urgency;
}

type Queued = PushJob & { attempt: number; origin: string; queuedAt: number };

/** A push service that answered 429: nothing goes to it before `until`; one report per burst. */
interface Throttle {
  until: number;
  /** 429 answers in this burst (the backoff without a Retry-After grows with them). */
  hits: number;
  /** A push of the burst was dropped (its TTL would pass first): said once. */
  dropReported: boolean;
}

/** What the sender needs of the server: deleting a gone subscription, reporting a failure. */
export interface PushSenderHost {
  removeSubscription(userId: string, endpoint: string): Promise<unknown>;
  report(error: ChatError): void;
}

/** Requests to push services under way at once, per process. */
const CONCURRENCY = 16;
/** Of them, for one user's devices: one user's slow push services never hold back the others'. */
const PER_USER = 2;
const MAX_RETRY_AFTER_MS = 600_000;

/** The queue of pushes and their retries. */
export class PushSender {
  readonly #queue = new PushLanes<Queued>(PER_USER);
  readonly #retries = new Set<NodeJS.Timeout>();
  /** Push services that answered 429, by origin, until one of their pushes goes through. */
  readonly #throttled = new Map<string, Throttle>();
  /** The queue was full and pushes were dropped: said once until it is half empty again. */
  #overflowing = false;
  #inFlight = 0;
  #closed = false;
  #lib: Promise<{ lib: WebPushLib; agent: PushAgent }> | undefined;
  #idle: Array<() => void> = [];

  constructor(
    private readonly config: WebPush,
    private readonly host: PushSenderHost,
  ) {}

  /** Queues a push; past `maxQueued` pushes waiting it is dropped (reported once per overflow). */
  send(job: PushJob): void {
    this.#enqueue({ ...job, attempt: 1, origin: new URL(job.subscription.endpoint).origin, queuedAt: Date.now() });
  }

  /** Sends what is queued, tries nothing again, and resolves when the last request has ended. */
  close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    const idle =
      this.#inFlight === 0 && this.#queue.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#idle.push(resolve));
    return idle.then(async () => {
      const loaded = await this.#lib?.catch(() => undefined);
      loaded?.agent.release();
    });
  }

  #enqueue(job: Queued): void {
    const waiting = this.#queue.size + this.#retries.size;
    if (waiting >= this.config.maxQueued) {
      if (!this.#overflowing) {
        this.#overflowing = true;
        this.host.report(
          builtInError(
            'INTERNAL',
            `${this.config.maxQueued} pushes are waiting already (maxQueued): new pushes are dropped until half of them are sent (said once per overflow).`,
          ),
        );
      }
      return;
    }
    if (waiting < this.config.maxQueued / 2) this.#overflowing = false;
    this.#queue.push(job);
    this.#pump();
  }

  /** Puts a job back in the queue after `ms` (a retry, or a push service's Retry-After). */
  #later(job: Queued, ms: number): void {
    const timer = setTimeout(() => {
      this.#retries.delete(timer);
      this.#queue.push(job);
      this.#pump();
    }, ms);
    timer.unref();
    this.#retries.add(timer);
  }

  #pump(): void {
    while (this.#inFlight < CONCURRENCY) {
      const job = this.#queue.take();
      if (!job) break;
      this.#inFlight++;
      void this.#attempt(job).finally(() => {
        this.#inFlight--;
        this.#queue.done(job);
        this.#pump();
        if (this.#inFlight === 0 && this.#queue.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #attempt(job: Queued): Promise<void> {
    const throttle = this.#throttled.get(job.origin);
    if (throttle && throttle.until > Date.now()) {
      if (!this.#closed) this.#later(job, throttle.until - Date.now());
      return;
    }
    let lib: WebPushLib;
    let agent: PushAgent;
    try {
      ({ lib, agent } = await this.#load());
    } catch (error) {
      this.#lib = undefined;
      this.host.report(builtInError('INTERNAL', 'Push notifications need the web-push package: npm install web-push.', { cause: error }));
      return;
    }
    const { config } = this;
    const options: RequestOptions = {
      TTL: config.ttlSeconds,
      urgency: job.urgency,
      topic: job.topic,
      contentEncoding: 'aes128gcm',
      timeout: config.timeoutMs,
      vapidDetails: { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey },
    };
    options.agent = agent.agent;
    const { endpoint, keys, userId } = job.subscription;
    try {
      await lib.sendNotification({ endpoint, keys }, job.payload, options);
      this.#throttled.delete(job.origin);
    } catch (error) {
      const status = error instanceof lib.WebPushError ? error.statusCode : undefined;
      const inward = status === undefined ? inwardRefusal(error) : undefined;
      if (inward) {
        // Not tried again: the name leads into your own network, and would the next time.
        this.host.report(builtInError('FORBIDDEN', `The push service at ${job.origin} ${inward}: a push was dropped.`, { cause: error }));
        return;
      }
      if (status === 429) {
        this.#tooMany(job, error instanceof lib.WebPushError ? error.headers : {});
        return;
      }
      if (status === 404 || status === 410) {
        await this.host.removeSubscription(userId, endpoint).catch((cause: unknown) => {
          this.host.report(builtInError('INTERNAL', 'A push subscription the push service ended could not be deleted.', { cause }));
        });
        return;
      }
      const again = status === undefined || status >= 500;
      const wait = again ? retryDelay(job.attempt, error instanceof lib.WebPushError ? error.headers : {}) : undefined;
      if (wait !== undefined && job.attempt < config.attempts && !this.#closed) {
        this.#later({ ...job, attempt: job.attempt + 1 }, wait);
        return;
      }
      const answer = status === undefined ? 'did not answer' : `answered ${status}`;
      const tries = job.attempt > 1 ? ` (${job.attempt} tries)` : '';
      this.host.report(
        builtInError('INTERNAL', `The push service at ${job.origin} ${answer}${tries}: a push was dropped.`, { cause: error }),
      );
    }
  }

  // 429: the push service asks for a wait (Retry-After, else 1 s, 2 s, 4 s... per answer of the
  // burst). Every push to it waits that long, this one included; a 429 is no failure of the push
  // and takes none of its attempts, but a push whose TTL would pass first is dropped.
  #tooMany(job: Queued, headers: Record<string, string | string[] | undefined>): void {
    let throttle = this.#throttled.get(job.origin);
    const first = !throttle;
    if (!throttle) this.#throttled.set(job.origin, (throttle = { until: 0, hits: 0, dropReported: false }));
    // The other pushes sent before this answer are answered 429 too: one round, one step of backoff.
    const now = Date.now();
    if (throttle.until <= now) throttle.hits++;
    const wait = retryDelay(throttle.hits, headers);
    throttle.until = Math.max(throttle.until, wait === undefined ? Infinity : now + wait);
    if (first) {
      const seconds = wait === undefined ? 'more than 10 minutes' : `${Math.ceil(wait / 1000)} s`;
      this.host.report(
        builtInError(
          'RATE_LIMITED',
          `The push service at ${job.origin} answered 429 (too many pushes): nothing is sent to it for ${seconds}, then its pushes are tried again (said once per burst).`,
          { retryAfter: wait ?? MAX_RETRY_AFTER_MS },
        ),
      );
    }
    if (this.#closed) return;
    if (throttle.until > job.queuedAt + this.config.ttlSeconds * 1000) {
      if (!throttle.dropReported) {
        throttle.dropReported = true;
        this.host.report(
          builtInError(
            'RATE_LIMITED',
            `The push service at ${job.origin} asks to wait past the pushes' TTL: its pushes are dropped until it takes them again.`,
          ),
        );
      }
      if (throttle.until === Infinity) throttle.until = now + MAX_RETRY_AFTER_MS;
      return;
    }
    this.#later(job, throttle.until - now);
  }

  #load(): Promise<{ lib: WebPushLib; agent: PushAgent }> {
    this.#lib ??= Promise.all([
      import('web-push').then((mod) => (mod as WebPushLib & { default?: WebPushLib }).default ?? mod),
      pushAgent(this.config),
    ]).then(([lib, agent]) => ({ lib, agent }));
    return this.#lib;
  }
}

// Retry-After (seconds or a date) when the service sent one, else 1 s, 2 s, 4 s...; undefined past 10 minutes.
function retryDelay(attempt: number, headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value !== undefined && value !== '') {
    const ms = /^\d+$/u.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
    if (Number.isFinite(ms)) return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(0, ms);
  }
  return Math.min(MAX_RETRY_AFTER_MS, 1000 * 2 ** (attempt - 1));
}
