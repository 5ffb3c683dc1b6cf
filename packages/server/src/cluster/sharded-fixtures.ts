import { randomBytes } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { UserRef } from '@chat/protocol';
import type { ChatStore } from '../core/chat-store.js';
import { redisCluster, type RedisClusterOptions } from './redis-cluster.js';
import { ScriptRunner } from './redis-commands.js';
import { redisHandle } from './redis-client.js';
import { shardedKeys, type RedisKeys } from './redis-keys.js';
import { RedisPresence } from './redis-presence.js';
import { HEARTBEAT } from './redis-scripts.js';
import type { LocalRedisCluster } from '../../../../test-support/redis-cluster.js';
import { startChat, track, type TestChat } from '../../../../test-support/servers.js';

/** The presence buckets the suites use (the default). */
const BUCKETS = 16;

/** A key prefix of its own for a test; its keys go with the cluster at the end of the file. */
export function clusterPrefix(): string {
  return `chat-test-${randomBytes(4).toString('hex')}:`;
}

/** Two chat servers on the Redis Cluster, as two processes would be, each ready. */
export async function startShardedChats(
  cluster: LocalRedisCluster,
  options: Omit<NonNullable<Parameters<typeof startChat>[0]>, 'store'> & { store: () => ChatStore },
  tuning: Partial<RedisClusterOptions> = {},
): Promise<[TestChat, TestChat]> {
  const keyPrefix = tuning.keyPrefix ?? clusterPrefix();
  const start = async () => {
    const started = await startChat({
      presenceCoalesceMs: 10,
      ...options,
      store: options.store(),
      cluster: redisCluster({ nodes: cluster.seeds, heartbeatMs: 100, staleAfterMs: 1000, ...tuning, keyPrefix }),
    });
    await started.chat.ready();
    return started;
  };
  return [await start(), await start()];
}

/** Where a room's keys are served: the primary of its own slot (`{room}`) and of its presence bucket. */
export async function shardsOf(cluster: LocalRedisCluster, prefix: string, roomId: string): Promise<{ room: number; presence: number }> {
  const keys = shardedKeys(prefix, BUCKETS);
  return {
    room: await cluster.primaryOf(`${prefix}eph:seq:${keys.room(roomId)}`),
    presence: await cluster.primaryOf(`${keys.presence(roomId)}members:${roomId}`),
  };
}

/** Room ids (from `base-0`, `base-1`, ...) until `accept` takes one. */
export async function pickRoom(base: string, accept: (roomId: string) => Promise<boolean>): Promise<string> {
  for (let i = 0; i < 2000; i++) if (await accept(`${base}-${i}`)) return `${base}-${i}`;
  throw new Error(`No room id from ${base} fits.`);
}

/** An ioredis Cluster client on the local cluster for a test (closed after it), with the scripts and keys of `prefix`. */
export async function clusterScripts(cluster: LocalRedisCluster, prefix: string): Promise<{ scripts: ScriptRunner; keys: RedisKeys }> {
  const client = new Cluster(
    cluster.nodes.filter((n) => n.alive()).map((n) => ({ host: '127.0.0.1', port: n.port })),
    { lazyConnect: true },
  );
  client.on('error', () => undefined);
  const handle = redisHandle(client);
  await handle.connect();
  track(() => handle.quit());
  return { scripts: new ScriptRunner(handle), keys: shardedKeys(prefix, BUCKETS) };
}

/**
 * A process that says it is alive once (in every group), puts `user` in `rooms` through the same
 * presence a server uses, and goes silent: the servers' reapers must clear it.
 */
export async function ghostProcess(cluster: LocalRedisCluster, prefix: string, rooms: string[], user: UserRef): Promise<void> {
  const { scripts, keys } = await clusterScripts(cluster, prefix);
  const processId = `ghost-${randomBytes(3).toString('hex')}`;
  for (const group of keys.groups) await scripts.run(HEARTBEAT, [`${group}procs`], [processId]);
  // A long staleness while registering, so that a slow registration never sees its own process dead.
  const presence = new RedisPresence(scripts, { keys, processId, staleAfterMs: 600_000 }, () => undefined);
  await presence.connect('ghost-socket', user);
  for (const room of rooms) await presence.add(room, 'ghost-socket', user);
  presence.close();
}
