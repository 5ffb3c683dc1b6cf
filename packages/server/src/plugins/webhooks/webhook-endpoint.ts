import { builtInError, ChatError } from '@chat/protocol';
import { MAX_BACKOFF_MS, type ResolvedWebhook, type WebhookEvent } from './webhook-options.js';
import { signWebhookBody } from './webhook-signature.js';

/** One POST to make: the body is signed once, and the same bytes and id are sent on every retry. */
export interface WebhookDelivery {
  id: string;
  type: WebhookEvent;
  body: string;
}

type Outcome = { ok: true } | { ok: false; reason: string; retryable: boolean; retryAfterMs?: number };

/**
 * The deliveries of one endpoint: a bounded queue sent one request at a time, in order (a failing
 * delivery holds back the ones after it until it succeeds or is dropped), each request with a
 * timeout, retried with exponential backoff and jitter. Nothing here ever waits in a chat
 * request: `push` only queues. Failures are reported once per streak, drops each time.
 */
export class WebhookEndpoint {
  readonly #waiting: WebhookDelivery[] = [];
  readonly #where: string;
  #running = false;
  #closed = false;
  /** Failing since the last success: the next failure is not reported again. */
  #failing = false;
  /** Dropping for a full queue since it was last empty: reported once. */
  #overflowing = false;
  #abort: AbortController | undefined;
  #sleep: { timer: ReturnType<typeof setTimeout>; wake: () => void } | undefined;

  constructor(
    private readonly webhook: ResolvedWebhook,
    private readonly report: (error: ChatError) => void,
    private readonly random: () => number = Math.random,
  ) {
    // Errors name the endpoint without its query string, which may hold a token.
    const url = new URL(webhook.url);
    this.#where = `${url.origin}${url.pathname}`;
  }

  /** Deliveries waiting (not counting the one being sent). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Queues a delivery; when the queue is full the oldest waiting one is dropped. */
  push(delivery: WebhookDelivery): void {
    if (this.#closed) return;
    if (this.#waiting.length >= this.webhook.maxQueue) {
      const dropped = this.#waiting.shift() as WebhookDelivery;
      if (!this.#overflowing) {
        this.#overflowing = true;
        this.report(
          builtInError(
            'INTERNAL',
            `Webhook ${this.#where} is behind: ${this.webhook.maxQueue} deliveries are waiting, so the oldest ("${dropped.type}", ${dropped.id}) was dropped, and older ones will be while it stays full.`,
          ),
        );
      }
    }
    this.#waiting.push(delivery);
    this.#pump();
  }

  /** Stops sending: the request under way is aborted, and what waits is dropped. */
  close(): void {
    this.#closed = true;
    this.#waiting.length = 0;
    this.#abort?.abort();
    if (this.#sleep) {
      clearTimeout(this.#sleep.timer);
      this.#sleep.wake();
    }
  }

  #pump(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    void this.#run().finally(() => {
      this.#running = false;
      if (this.#waiting.length > 0) this.#pump();
    });
  }

  async #run(): Promise<void> {
    for (let delivery = this.#waiting.shift(); delivery && !this.#closed; delivery = this.#waiting.shift()) {
      if (this.#waiting.length === 0) this.#overflowing = false;
      await this.#deliver(delivery);
    }
  }

  // One delivery, retried until it succeeds, is refused for good, or runs out of retries.
  async #deliver(delivery: WebhookDelivery): Promise<void> {
    const { retries } = this.webhook;
    for (let attempt = 1; !this.#closed; attempt++) {
      const outcome = await this.#post(delivery);
      if (this.#closed) return;
      if (outcome.ok) {
        this.#failing = false;
        return;
      }
      if (!outcome.retryable) {
        this.report(
          builtInError(
            'INTERNAL',
            `Webhook ${this.#where} refused a "${delivery.type}" delivery (${delivery.id}): ${outcome.reason}. It is not retried.`,
          ),
        );
        return;
      }
      if (attempt > retries) {
        this.report(
          builtInError(
            'INTERNAL',
            `Webhook ${this.#where} failed a "${delivery.type}" delivery (${delivery.id}) ${attempt} times (${outcome.reason}); it was dropped.`,
          ),
        );
        return;
      }
      if (!this.#failing) {
        this.#failing = true;
        this.report(
          builtInError('INTERNAL', `Webhook ${this.#where} failed (${outcome.reason}); retrying with backoff. Chat goes on meanwhile.`),
        );
      }
      await this.#wait(Math.max(this.#backoff(attempt), Math.min(outcome.retryAfterMs ?? 0, MAX_BACKOFF_MS)));
    }
  }

  async #post(delivery: WebhookDelivery): Promise<Outcome> {
    const abort = new AbortController();
    this.#abort = abort;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.webhook.timeoutMs);
    timer.unref?.();
    try {
      const response = await fetch(this.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'chat-toolkit-webhooks',
          'x-chat-signature': signWebhookBody(delivery.body, this.webhook.secret),
          'x-chat-webhook-id': delivery.id,
          'x-chat-event': delivery.type,
        },
        body: delivery.body,
        redirect: 'manual',
        signal: abort.signal,
      });
      await response.body?.cancel().catch(() => undefined);
      const { status } = response;
      if (status >= 200 && status < 300) return { ok: true };
      const retryAfterMs = retryAfter(response.headers.get('retry-after'));
      return {
        ok: false,
        reason: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
        retryable: status >= 500 || status === 408 || status === 429,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      };
    } catch (error) {
      if (timedOut) return { ok: false, reason: `no answer within ${this.webhook.timeoutMs} ms`, retryable: true };
      const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
      const reason = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
      return { ok: false, reason, retryable: true };
    } finally {
      clearTimeout(timer);
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  // Exponential, with "equal jitter": between half and all of base * 2^(attempt - 1), at most a minute.
  #backoff(attempt: number): number {
    const full = Math.min(MAX_BACKOFF_MS, this.webhook.backoffMs * 2 ** (attempt - 1));
    return Math.round(full / 2 + (this.random() * full) / 2);
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleep = undefined;
        resolve();
      }, ms);
      timer.unref?.();
      this.#sleep = { timer, wake: resolve };
    });
  }
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
