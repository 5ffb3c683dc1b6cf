import type { CollapseClaims } from '../core/collapse-claims.js';
import type { ScriptRunner } from './redis-commands.js';

/**
 * KEYS: the window. ARGV: its length in ms. Opens it (0) or answers the ms it has left (at
 * least 1: one that ends between the two commands is asked again a moment later).
 */
const CLAIM = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
return math.max(1, redis.call('PTTL', KEYS[1]))
`;

/** How long a claim waits for Redis before this process sends on its own. */
const REDIS_WAIT_MS = 250;

/**
 * Collapse windows in Redis: one process of the cluster pushes per user and room and window.
 * While Redis does not answer, the process answers for itself after {@link REDIS_WAIT_MS} (it
 * sends): a push too many, never one lost, and never a push that waits on Redis for longer.
 */
export class RedisCollapseClaims implements CollapseClaims {
  constructor(
    private readonly scripts: ScriptRunner,
    private readonly prefix: string,
    private readonly waitMs = REDIS_WAIT_MS,
  ) {}

  async claim(key: string, windowMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<0>((resolve) => {
      timer = setTimeout(() => resolve(0), this.waitMs);
    });
    try {
      const reply = this.scripts.run(CLAIM, [`${this.prefix}push:${key}`], [String(windowMs)]).then(Number);
      const left = await Promise.race([reply, late]);
      return Number.isFinite(left) && left > 0 ? left : 0;
    } catch {
      return 0;
    } finally {
      clearTimeout(timer);
    }
  }
}
