import type { IORedisClientLike, RedisClientLike } from './redis-client.js';

/** A node of a Redis Cluster to start from; the client finds the others. */
export interface RedisClusterNode {
  /** e.g. `redis://127.0.0.1:7000` (user and password in it apply to every node; `rediss:` for TLS). */
  url: string;
}

/** An ioredis `Cluster` (5 or 6), as far as the chat uses it. */
export interface IORedisClusterLike extends IORedisClientLike {
  readonly isCluster: boolean;
  duplicate(startupNodes?: unknown[], options?: { shardedSubscribers?: boolean; lazyConnect?: boolean }): IORedisClusterLike;
}

/** Whether a client of the app is a Redis Cluster client (ioredis `Cluster` or node-redis `createCluster`). */
export function isClusterClient(client: RedisClientLike | IORedisClusterLike): client is IORedisClusterLike {
  if ('masters' in client) {
    // node-redis's cluster client does not find a replica that took over (it retries the dead
    // primary for good): measured in docs/scaling.md.
    throw new TypeError('redisCluster: a node-redis cluster client is not supported; pass an ioredis Cluster, or nodes.');
  }
  return 'isCluster' in client && client.isCluster === true;
}

type ClusterConstructor = new (nodes: Array<{ host: string; port: number }>, options: Record<string, unknown>) => IORedisClusterLike;

/** Opens an ioredis Cluster on `nodes` (connected by `redisHandle(...).connect()`). */
export async function createClusterClient(nodes: RedisClusterNode[]): Promise<IORedisClusterLike> {
  let Cluster: ClusterConstructor;
  try {
    ({ Cluster } = (await import('ioredis')) as unknown as { Cluster: ClusterConstructor });
  } catch (error) {
    throw new Error('redisCluster({ nodes }) runs on ioredis, which is not installed: npm install ioredis', { cause: error });
  }
  const first = new URL((nodes[0] as RedisClusterNode).url);
  const redisOptions: Record<string, unknown> = {};
  if (first.username) redisOptions['username'] = decodeURIComponent(first.username);
  if (first.password) redisOptions['password'] = decodeURIComponent(first.password);
  if (first.protocol === 'rediss:') redisOptions['tls'] = {};
  const startup = nodes.map(({ url }) => {
    const parsed = new URL(url);
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return new Cluster(startup, { lazyConnect: true, redisOptions });
}

/** The Socket.IO adapter of a Redis Cluster, and the subscriber it opened. */
export interface ShardedAdapter {
  create: (nsp: unknown) => unknown;
  close(): Promise<void>;
}

/**
 * The sharded adapter of `@socket.io/redis-adapter` (sharded Pub/Sub, Redis 7): a channel per
 * room, so a room's broadcasts go through the one shard that owns its channel's slot.
 */
export async function shardedAdapter(pub: IORedisClusterLike, channelPrefix: string): Promise<ShardedAdapter> {
  let createShardedAdapter: (pub: unknown, sub: unknown, options: { channelPrefix: string }) => (nsp: unknown) => unknown;
  try {
    ({ createShardedAdapter } = await import('@socket.io/redis-adapter'));
  } catch (error) {
    throw new Error('redisCluster on a Redis Cluster broadcasts through @socket.io/redis-adapter: npm install @socket.io/redis-adapter', {
      cause: error,
    });
  }
  // A subscriber per shard, re-subscribed by ioredis after a failover.
  const sub = pub.duplicate([], { shardedSubscribers: true, lazyConnect: true });
  sub.on('error', ignore);
  await sub.connect();
  return {
    create: createShardedAdapter(pub, sub, { channelPrefix }),
    async close() {
      sub.off('error', ignore);
      if (sub.status !== 'end') await sub.quit();
    },
  };
}

/**
 * Calls `moved` on each sign that a node of the Redis Cluster went away or failed (a primary dying,
 * a failover under way); returns the function that stops listening. ioredis sends the commands to
 * the new primary by itself, so nothing else tells that writes may have been lost.
 */
export function watchNodes(client: IORedisClusterLike, moved: () => void): () => void {
  const events = ['-node', 'node error'];
  for (const event of events) client.on(event, moved);
  return () => {
    for (const event of events) client.off(event, moved);
  };
}

function ignore(): void {
  // The main client reports the cluster's errors (once per outage); the subscriber's would repeat them.
}
