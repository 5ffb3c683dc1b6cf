import type { ChatServerOptions, ChatStore } from '@chat/server';
import { redisCluster, type RedisClusterOptions } from '@chat/server/redis';
import { freshPrefix, REDIS_URL } from './redis.js';
import { startChat, type TestChat } from './servers.js';

/**
 * `count` chat servers in this process joined through one Redis (or the Redis Cluster of
 * `cluster.nodes`), as `count` processes would be, each ready (fast heartbeats: a dead one is
 * reaped within a second); closed after the test.
 */
export async function startClusterChats(
  count: number,
  options: ChatServerOptions = {},
  cluster: Partial<RedisClusterOptions> = {},
  /** A store per server; give one over a shared database where processes must share rooms. */
  store?: () => ChatStore,
): Promise<TestChat[]> {
  const keyPrefix = cluster.keyPrefix ?? freshPrefix();
  const servers: TestChat[] = [];
  for (let i = 0; i < count; i++) {
    const started = await startChat({
      ...options,
      ...(store && { store: store() }),
      cluster: redisCluster({
        ...(cluster.nodes === undefined && { url: REDIS_URL }),
        heartbeatMs: 100,
        staleAfterMs: 1000,
        ...cluster,
        keyPrefix,
      }),
    });
    await started.chat.ready();
    servers.push(started);
  }
  return servers;
}
