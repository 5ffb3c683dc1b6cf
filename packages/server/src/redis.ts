// Subpath entry `@chat/server/redis`: kept apart so that single-process users never load redis.
export { redisCluster } from './cluster/redis-cluster.js';
export type { RedisClusterOptions } from './cluster/redis-cluster.js';
export type { IORedisClientLike, NodeRedisClientLike, RedisClientLike } from './cluster/redis-client.js';
export type { IORedisClusterLike, RedisClusterNode } from './cluster/redis-sharded.js';
