/**
 * Token buckets by key, shared by every process that uses the same limiter: `redisCluster()`
 * keeps them in Redis (one atomic script per take), so a user with sockets on several processes
 * is limited once, not once per process. Without a cluster the server uses {@link LocalRateLimiter}.
 */
export interface RateLimiter {
  /**
   * Takes one token from the bucket `key` (made full, with `capacity` tokens refilled at
   * `perSecond`, on first use). Resolves 0 when taken; otherwise the milliseconds until a token
   * will be there (nothing taken).
   */
  take(key: string, capacity: number, perSecond: number): Promise<number>;
}
