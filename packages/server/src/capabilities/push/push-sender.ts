// Sends pushes with the `web-push` package (loaded on the first push: servers without push never
// load it), from a bounded queue, a few at a time. A subscription the push service says is gone
// (404, 410) is deleted; a push it failed (5xx, 429, no answer) is tried again after a while.
import type { RequestOptions, Urgency } from 'web-push';
import { builtInError, type ChatError } from '@chat/protocol';
import type { StoredPushSubscription } from '../../core/chat-store.js';
import type { WebPush } from './web-push-options.js';

type WebPushLib = typeof import('web-push');

/** One push to one device. */
export interface PushJob {
  subscription: StoredPushSubscription;
  payload: string;
  topic: string;
  urgency: Urgency;
}

/** What the sender needs of the server: deleting a gone subscription, reporting a failure. */
export interface PushSenderHost {
  removeSubscription(userId: string, endpoint: string): Promise<unknown>;
  report(error: ChatError): void;
}

const CONCURRENCY = 8;
const MAX_RETRY_AFTER_MS = 600_000;

/** The queue of pushes and their retries. */
export class PushSender {
  readonly #queue: Array<PushJob & { attempt: number }> = [];
  readonly #retries = new Set<NodeJS.Timeout>();
  #inFlight = 0;
  #closed = false;
  #lib: Promise<WebPushLib> | undefined;
  #idle: Array<() => void> = [];

  constructor(
    private readonly config: WebPush,
    private readonly host: PushSenderHost,
  ) {}

  /** Queues a push; past `maxQueued` pushes waiting it is dropped and reported. */
  send(job: PushJob): void {
    this.#enqueue({ ...job, attempt: 1 });
  }

  /** Sends what is queued, tries nothing again, and resolves when the last request has ended. */
  close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#retries) clearTimeout(timer);
    this.#retries.clear();
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(job: PushJob & { attempt: number }): void {
    if (this.#queue.length + this.#retries.size >= this.config.maxQueued) {
      this.host.report(
        builtInError('INTERNAL', `${this.config.maxQueued} pushes are waiting already (maxQueued): a push to ${origin(job)} was dropped.`),
      );
      return;
    }
    this.#queue.push(job);
    this.#pump();
  }

  #pump(): void {
    while (this.#inFlight < CONCURRENCY && this.#queue.length > 0) {
      const job = this.#queue.shift() as PushJob & { attempt: number };
      this.#inFlight++;
      void this.#attempt(job).finally(() => {
        this.#inFlight--;
        this.#pump();
        if (this.#inFlight === 0 && this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
    }
  }

  async #attempt(job: PushJob & { attempt: number }): Promise<void> {
    let lib: WebPushLib;
    try {
      lib = await this.#load();
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
    if (config.agent) options.agent = config.agent;
    const { endpoint, keys, userId } = job.subscription;
    try {
      await lib.sendNotification({ endpoint, keys }, job.payload, options);
    } catch (error) {
      const status = error instanceof lib.WebPushError ? error.statusCode : undefined;
      if (status === 404 || status === 410) {
        await this.host.removeSubscription(userId, endpoint).catch((cause: unknown) => {
          this.host.report(builtInError('INTERNAL', 'A push subscription the push service ended could not be deleted.', { cause }));
        });
        return;
      }
      const again = status === undefined || status === 429 || status >= 500;
      const wait = again ? this.#retryDelay(job.attempt, error instanceof lib.WebPushError ? error.headers : {}) : undefined;
      if (wait !== undefined && job.attempt < config.attempts && !this.#closed) {
        const timer = setTimeout(() => {
          this.#retries.delete(timer);
          this.#queue.push({ ...job, attempt: job.attempt + 1 });
          this.#pump();
        }, wait);
        timer.unref();
        this.#retries.add(timer);
        return;
      }
      const answer = status === undefined ? 'did not answer' : `answered ${status}`;
      const tries = job.attempt > 1 ? ` (${job.attempt} tries)` : '';
      this.host.report(
        builtInError('INTERNAL', `The push service at ${origin(job)} ${answer}${tries}: a push was dropped.`, { cause: error }),
      );
    }
  }

  // Retry-After (seconds or a date) when the service sent one, else 1 s, 2 s, 4 s...
  #retryDelay(attempt: number, headers: Record<string, string | string[] | undefined>): number | undefined {
    const raw = headers['retry-after'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined && value !== '') {
      const ms = /^\d+$/u.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now();
      if (Number.isFinite(ms)) return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(0, ms);
    }
    return 1000 * 2 ** (attempt - 1);
  }

  #load(): Promise<WebPushLib> {
    this.#lib ??= import('web-push').then((mod) => (mod as WebPushLib & { default?: WebPushLib }).default ?? mod);
    return this.#lib;
  }
}

function origin(job: PushJob): string {
  return new URL(job.subscription.endpoint).origin;
}
