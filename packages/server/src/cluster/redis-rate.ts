import { LocalRateLimiter, type RateLimiter } from '../limits/rate-limiter.js';
import type { ScriptRunner } from './redis-commands.js';

/**
 * KEYS: the bucket (hash v: tokens, t: ms of the last refill). ARGV: capacity, perSecond.
 * Refill by Redis's clock (`TIME`), so processes with skewed clocks share one rate; take one
 * token or answer the wait in ms. The key expires once the bucket would be full again.
 */
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'v', 't')
local tokens = tonumber(held[1]) or capacity
local last = tonumber(held[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) * 1000 / rate))
end
redis.call('HSET', KEYS[1], 'v', tostring(tokens), 't', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
return wait
`;

/** How long a take waits for Redis before the process's own bucket answers instead. */
const REDIS_WAIT_MS = 250;

/**
 * Token buckets in Redis: every process takes from the same bucket, atomically. While Redis does
 * not answer (down, restarting: the client queues commands until it is back), the process's own
 * bucket answers after {@link REDIS_WAIT_MS}: a send never waits on Redis for longer, and never
 * fails because of it.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #local = new LocalRateLimiter();

  constructor(
    private readonly scripts: ScriptRunner,
    private readonly prefix: string,
    private readonly waitMs = REDIS_WAIT_MS,
  ) {}

  async take(key: string, capacity: number, perSecond: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.waitMs);
    });
    const reply = this.scripts.run(TAKE_TOKEN, [`${this.prefix}rate:${key}`], [String(capacity), String(perSecond)]);
    try {
      const answer = await Promise.race([reply, late]);
      if (answer !== 'late') return Number(answer);
    } catch {
      // Redis refused or failed: the local bucket answers.
    } finally {
      clearTimeout(timer);
    }
    reply.catch(() => undefined); // a queued command that fails later is not an unhandled rejection
    return this.#local.takeNow(key, capacity, perSecond);
  }
}
