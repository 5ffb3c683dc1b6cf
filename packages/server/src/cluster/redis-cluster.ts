import { randomUUID } from 'node:crypto';
import type { UserRef } from '@chat/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ChatCluster, ClusterHost, ClusterParts } from './chat-cluster.js';
import { ScriptRunner } from './redis-commands.js';
import { redisHandle, type RedisClientLike, type RedisHandle } from './redis-client.js';
import { RedisEphemeralLog } from './redis-ephemeral.js';
import { RedisPresence } from './redis-presence.js';
import { RedisTypingStore } from './redis-typing.js';
import { RedisCallStore } from './redis-call-store.js';
import { RedisRateLimiter } from './redis-rate.js';
import { RedisCollapseClaims } from './redis-collapse.js';
import { HEARTBEAT, REAP } from './redis-scripts.js';
import { shardedKeys, singleRedisKeys } from './redis-keys.js';
import {
  createClusterClient,
  isClusterClient,
  shardedAdapter,
  watchNodes,
  type IORedisClusterLike,
  type RedisClusterNode,
  type ShardedAdapter,
} from './redis-sharded.js';
import { relayBatches } from './room-fanout-adapter.js';

// A bound on the steps of one reap (5,000,000 entries at the default step): the next heartbeat
// goes on from where it stopped, so a bug cannot keep a process stepping forever.
const MAX_REAP_STEPS = 10_000;

/** Options of {@link redisCluster}; give `url`, `nodes` (a Redis Cluster), or a `client`. */
export interface RedisClusterOptions {
  /** e.g. `redis://127.0.0.1:6379`; the cluster opens and closes its own clients. */
  url?: string;
  /**
   * Nodes of a Redis Cluster (7 or later) to start from: runs on ioredis and the sharded adapter
   * of `@socket.io/redis-adapter` (both to install), with the keys in hash-tagged slots.
   */
  nodes?: RedisClusterNode[];
  /**
   * A node-redis or ioredis client of the app (connected or not), or an ioredis `Cluster` for a
   * Redis Cluster; it is left open on close.
   */
  client?: RedisClientLike | IORedisClusterLike;
  /**
   * On a Redis Cluster, how many slots presence is spread over (each has the heartbeats of every
   * process and its own reaper, so more buckets cost more per heartbeat). @default 16
   */
  presenceBuckets?: number;
  /** Prefix of every key. @default 'chat:' */
  keyPrefix?: string;
  /** Name of the Redis stream the adapter uses. @default '<keyPrefix>stream' */
  streamName?: string;
  /** How often a process says it is alive, in ms. @default 5000 */
  heartbeatMs?: number;
  /** A process silent this long is dead: its members leave and their names are free. @default 15000 */
  staleAfterMs?: number;
  /**
   * How many member and user entries one step of clearing a dead process touches. Redis runs
   * nothing else while a step runs; a process is cleared in as many steps as it needs, one after
   * another. @default 500
   */
  reapStep?: number;
}

/**
 * Runs the chat across several processes on Redis: the official Socket.IO Redis Streams
 * adapter for broadcasts (it resumes after Redis drops out), and presence, typing and
 * ephemeral seqs in Redis with a heartbeat per process, so a process that dies leaves no ghosts.
 * @example createChatServer(httpServer, { store, cluster: redisCluster({ url: process.env.REDIS_URL }) })
 */
export function redisCluster(options: RedisClusterOptions): ChatCluster {
  const given = [options.url, options.client, options.nodes].filter((o) => o !== undefined).length;
  if (given !== 1) throw new TypeError('redisCluster needs one of a url, nodes (a Redis Cluster) or a client (node-redis or ioredis).');
  if (options.nodes?.length === 0) throw new TypeError('redisCluster needs at least one node of the Redis Cluster.');
  const sharded = options.nodes !== undefined || (options.client !== undefined && isClusterClient(options.client));
  const prefix = options.keyPrefix ?? 'chat:';
  const buckets = options.presenceBuckets ?? 16;
  if (!Number.isInteger(buckets) || buckets < 1) throw new TypeError('presenceBuckets must be a whole number of at least 1.');
  const keys = sharded ? shardedKeys(prefix, buckets) : singleRedisKeys(prefix);
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const staleAfterMs = options.staleAfterMs ?? 15_000;
  if (staleAfterMs <= heartbeatMs * 2) throw new TypeError('staleAfterMs must be more than twice heartbeatMs.');
  const reapStep = options.reapStep ?? 500;
  if (!Number.isInteger(reapStep) || reapStep < 1) throw new TypeError('reapStep must be a whole number of at least 1.');
  const processId = randomUUID();
  const ownsClient = options.client === undefined;
  // Set by init(). The `redis` package is loaded only when the cluster opens its own clients,
  // so that an app on ioredis need not install it.
  let redis: RedisHandle | undefined;
  let scripts: ScriptRunner | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let presence: RedisPresence | undefined;
  let calls: RedisCallStore | undefined;
  let host: ClusterHost | undefined;
  let broadcasts: ShardedAdapter | undefined;
  let lostConnection = false;
  let closed = false;
  // Set when the server starts closing: no more reaping of other processes.
  let isStopping = false;

  const onError = (error: unknown) => {
    // One report per outage, not one per reconnect attempt.
    if (lostConnection || closed) return;
    lostConnection = true;
    host?.report(error, 'redis');
  };
  const onReady = () => {
    if (!lostConnection || closed) return;
    recover();
  };
  // On a Redis Cluster, one recovery at a time: the heartbeats may ask again while one runs (on
  // one Redis only the client's 'ready' starts one, as it always did).
  let recovering = false;
  // On a Redis Cluster: bumped when a node goes away or fails (a failover may lose writes), and
  // the value the last recovery started from.
  let nodesMoved = 0;
  let recoveredFrom = 0;
  let unwatchNodes: (() => void) | undefined;
  const recover = (moved = nodesMoved) => {
    if (sharded && recovering) return;
    recovering = true;
    lostConnection = false;
    recoveredFrom = moved;
    // Redis may have restarted empty, or a replica that lacks recent writes taken over: say we
    // are alive and register our sockets again (on a Redis Cluster, exactly our live sockets).
    void beat()
      .then(() => presence?.restore())
      .then((done) => {
        for (const { roomId, userId } of done?.restored ?? []) host?.presenceChanged(roomId, [userId]);
        for (const { roomId, userId } of done?.gone ?? []) host?.usersGone(roomId, [userId]);
        if (done && done.offline.length > 0) host?.usersOffline(done.offline);
        host?.resync();
      })
      .catch((error: unknown) => {
        host?.report(error, 'redis');
        // Redis often answers LOADING at first: try the whole step again shortly, or the
        // registrations and the room check would be skipped for good.
        lostConnection = true;
        if (!sharded) setTimeout(onReady, heartbeatMs).unref?.();
      })
      .finally(() => {
        recovering = false;
      });
  };

  /** Says this process is alive; true when a group had lost it (see HEARTBEAT). */
  async function beat(): Promise<boolean> {
    const runner = scripts;
    if (!runner) return false;
    // One Redis: one group. A Redis Cluster: the heartbeat in every group's slot.
    const added = await Promise.all(keys.groups.map((group) => runner.run(HEARTBEAT, [`${group}procs`], [processId])));
    await reap();
    // Participants of calls on dead processes hang up (whoever reaped them).
    await calls?.sweep();
    return added.some((n) => Number(n) === 1);
  }

  /**
   * Clears dead processes step by step until nothing is left: each step is one short script, so
   * other commands run between them. Other processes may take steps of the same work meanwhile;
   * each entry is cleared, and announced, by one of them.
   */
  let reaping: Promise<void> | undefined;
  function reap(): Promise<void> {
    // A heartbeat during a long reap does not start a second one beside it.
    if (isStopping) return Promise.resolve();
    reaping ??= reapSteps([]).finally(() => {
      reaping = undefined;
    });
    return reaping;
  }
  /**
   * Steps until nothing is left; for dead processes, only while this one is not closing: what it
   * clears, it must still be able to announce (a closing server's presence deltas are closed),
   * so it leaves the rest to the other processes.
   */
  async function reapSteps(only: [] | [string, 'only']): Promise<void> {
    await Promise.all(keys.groups.map((group) => reapGroup(group, only)));
  }
  async function reapGroup(group: string, only: [] | [string, 'only']): Promise<void> {
    const args = [String(staleAfterMs), group, String(reapStep), ...only];
    let more = true;
    for (let steps = 0; more && steps < MAX_REAP_STEPS && scripts && (only.length > 0 || !isStopping); steps++) {
      more = announce(await scripts.run(REAP, [`${group}procs`], args));
    }
  }

  // REAP's answer: room, user pairs gone from rooms, the users gone offline altogether, and
  // whether work is left (1).
  function announce(reply: unknown): boolean {
    const [gone = [], offline = [], more = 0] = (Array.isArray(reply) ? reply : []) as [string[]?, string[]?, number?];
    for (let i = 0; i + 1 < gone.length; i += 2) host?.usersGone(gone[i] as string, [gone[i + 1] as string]);
    if (offline.length > 0) host?.usersOffline(offline.map((json) => JSON.parse(json) as UserRef));
    return more === 1;
  }

  // No more heartbeats or reaping of other processes; the step under way still announces what it
  // cleared (before the server's deltas close).
  async function stop(): Promise<void> {
    isStopping = true;
    clearInterval(timer);
    await reaping?.catch(() => undefined);
  }

  return {
    async init(clusterHost: ClusterHost): Promise<ClusterParts> {
      host = clusterHost;
      const client =
        options.client ??
        (options.nodes ? await createClusterClient(options.nodes) : (await import('redis')).createClient({ url: options.url as string }));
      redis = redisHandle(client);
      scripts = new ScriptRunner(redis);
      redis.on('error', onError);
      redis.on('ready', onReady);
      await redis.connect();
      if (sharded) {
        broadcasts = await shardedAdapter(redis.client as IORedisClusterLike, `${prefix}socket.io`);
        unwatchNodes = watchNodes(redis.client as IORedisClusterLike, () => nodesMoved++);
      }
      await beat();
      recoveredFrom = nodesMoved;
      timer = setInterval(() => {
        const moved = nodesMoved;
        beat()
          .then((lost) => {
            // A shard that failed over says nothing on the cluster's client (ioredis sends the
            // commands to the new primary), and the replica may lack writes the old primary
            // acknowledged: after a node went away, a heartbeat that found this process gone from a
            // group, or a write that failed, the first heartbeat that gets through everywhere
            // makes this process's registrations its live sockets again.
            const suspect = lostConnection || presence?.pending === true || lost || moved !== recoveredFrom;
            if (sharded && !closed && suspect) recover(moved);
          })
          .catch((error: unknown) => onError(error));
      }, heartbeatMs);
      timer.unref?.();
      presence = new RedisPresence(scripts, { keys, processId, staleAfterMs }, (roomId, userId) => host?.usersGone(roomId, [userId]));
      calls = new RedisCallStore(scripts, { prefix: keys.calls, processId, staleAfterMs });
      return {
        presence,
        typing: new RedisTypingStore(scripts, prefix, keys.room),
        ephemeral: new RedisEphemeralLog(scripts, redis, prefix, keys.room),
        rates: new RedisRateLimiter(scripts, prefix),
        collapse: new RedisCollapseClaims(scripts, prefix),
        calls,
      };
    },

    adapter(): unknown {
      if (!redis) throw new Error('redisCluster: adapter() before init().');
      // A room's `messages` batch crosses Redis once and reaches every kind of socket.
      if (broadcasts) return relayBatches(broadcasts.create);
      return relayBatches(
        createAdapter(redis.client, {
          streamName: options.streamName ?? `${prefix}stream`,
          // Server-side signals and acknowledged requests go over pub/sub: without the prefix, every
          // app on the same Redis would hear them, and count as a server that must answer.
          channelPrefix: `${prefix}socket.io`,
          heartbeatInterval: heartbeatMs,
          heartbeatTimeout: staleAfterMs,
        }),
      );
    },

    stopping: stop,

    async close(): Promise<void> {
      if (closed) return;
      await stop();
      // Leave at once rather than after staleAfterMs: remove this process's sockets now.
      if (!redis || !scripts) {
        closed = true;
        return;
      }
      if (redis.isOpen()) {
        // Its own sockets only, in steps, until none is left.
        await reapSteps([processId, 'only']).catch(() => undefined);
      }
      closed = true;
      unwatchNodes?.();
      redis.off('error', onError);
      redis.off('ready', onReady);
      await broadcasts?.close();
      if (ownsClient) await redis.quit();
    },
  };
}
