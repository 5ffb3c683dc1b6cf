import { afterAll, beforeAll, describe } from 'vitest';
import type { ChatServerOptions, ChatStore } from '@chat/server';
import { redisCluster, type RedisClusterOptions } from '@chat/server/redis';
import { useTestSchema, type TestSchema } from './postgres.js';
import { redisClusterMissing, startRedisCluster, type LocalRedisCluster } from './redis-cluster.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from './redis.js';
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

/**
 * Declares `title`'s suite twice: on one Redis (skipped without REDIS_URL and DATABASE_URL), and on
 * a local Redis Cluster of three primaries and three replicas that the suite starts itself and
 * stops after (skipped, with one line, without redis-server and redis-cli). `body` gets the
 * Redis options for `startClusterChats` (none, or the cluster's `nodes`: read them in a test) and
 * the variant's name; each variant has the PostgreSQL schema `schema()` makes for it.
 */
export function eachRedis(
  title: string,
  body: (redis: () => Partial<RedisClusterOptions>, schema: TestSchema, variant: 'Redis' | 'Redis Cluster') => void,
): void {
  const skip = skipWithoutRedis();
  describe.skipIf(skip)(`${title} (two processes on Redis)`, () => body(() => ({}), useTestSchema(), 'Redis'));
  describe.skipIf(skip || redisClusterMissing() !== undefined)(`${title} (two processes on a Redis Cluster)`, () => {
    const schema = useTestSchema();
    let cluster: LocalRedisCluster | undefined;
    beforeAll(async () => {
      cluster = await startRedisCluster();
    }, 30_000);
    afterAll(() => cluster?.stop());
    body(() => ({ nodes: (cluster as LocalRedisCluster).seeds }), schema, 'Redis Cluster');
  });
}
