// The cluster scenarios (`cluster-*`): two server processes on the Redis at REDIS_URL, through the
// Redis Streams adapter: the chat server's `redisCluster` as shipped, next to raw Socket.IO with
// the same adapter and stream settings. Each run gets a key prefix (and stream) of its own, and
// its keys are deleted afterwards. Forked processes go through run.mjs's `start`, so that every
// process the bench starts is stopped.
// The `cluster-shard-*` scenarios (`shard: true`) run the same two processes on a local Redis
// Cluster of 3 primaries + 3 replicas (bench/redis-cluster.mjs; run.mjs starts it once and stops it
// at the end): `chat-shard-cluster` / `raw-shard-cluster` in server.mjs. Each run also reads every
// primary's counters at both ends of the window (`shards`: each primary's commands, SPUBLISHes,
// script calls, CPU and sharded channels, and its share), and the primaries are emptied afterwards.
import { randomBytes } from 'node:crypto';
import { benchSchema } from './bench-schema.mjs';
import { shardSpread } from './redis-cluster.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One run of a cluster scenario against one server kind (`chat` or `raw`): fan-out and latency
 * through load.mjs with clients spread over both processes (client j on process j % 2), or the
 * reaping of a killed process (`kind: 'reap'`, chat only).
 */
export async function clusterOnce(scenario, kind, { start, ask, waitFor, options, timing, mode, quick, redisCluster }) {
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  // The reap waits for the heartbeat to go stale: as shipped (5 s, stale after 15 s), or quicker with --quick.
  const heartbeat = scenario.kind === 'reap' && quick ? ['500', '2000'] : [];
  // On the local Redis Cluster, its seed URLs reach the servers through CHAT_BENCH_REDIS_NODES (run.mjs sets it).
  const shard = scenario.shard === true;
  if (shard && !redisCluster) throw new Error(`${scenario.name} runs on a local Redis Cluster, and none was started.`);
  const serverKind = shard
    ? `${kind}-shard-cluster`
    : kind === 'chat' && scenario.server
      ? `${scenario.server}-cluster`
      : `${kind}-cluster`;
  const servers = [0, 1].map(() => start('server.mjs', [serverKind, prefix, ...heartbeat], ['--expose-gc']));
  try {
    const urls = (await Promise.all(servers.map((s) => waitFor(s, (m) => m?.port)))).map(({ port }) => `http://127.0.0.1:${port}`);
    if (scenario.kind === 'reap') return await reapOnce(servers, urls, prefix, { start, waitFor, options, heartbeat });
    const load = start('load.mjs');
    await waitFor(load, (m) => m?.event === 'ready');
    let windowEnd = Promise.resolve([]);
    // Each primary's counters at both ends of the window (Redis Cluster only).
    let shardsBefore = Promise.resolve(undefined);
    let shardsAfter = Promise.resolve(undefined);
    load.on('message', (m) => {
      if (m?.event === 'window-start') {
        for (const s of servers) void ask(s, 'stats'); // resets the CPU counters
        if (shard) shardsBefore = redisCluster.snapshot();
      }
      if (m?.event === 'window-end') {
        windowEnd = Promise.all(servers.map((s) => ask(s, 'stats')));
        if (shard) shardsAfter = redisCluster.snapshot();
      }
    });
    load.send({ cmd: 'run', scenario: scenario.kind, options: { url: urls, mode, ...timing, ...options } });
    const { result } = await waitFor(load, (m) => m?.event === 'result');
    // Both processes' CPU time over the window (and their PostgreSQL backends', when they have some).
    const stats = await windowEnd;
    result.serverCpuMs = stats.reduce((sum, s) => sum + s.cpuMs, 0);
    if (stats.some((s) => s.pgCpuMs !== undefined)) result.pgCpuMs = stats.reduce((sum, s) => sum + s.pgCpuMs, 0);
    if (shard) result.shards = shardSpread(await shardsBefore, await shardsAfter);
    load.send({ cmd: 'close' });
    await new Promise((r) => load.once('exit', r));
    return result;
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    if (shard) await redisCluster.flush().catch(() => undefined);
    else await forget(prefix);
    if (serverKind === 'chat-pg-cluster') await dropSchema(benchSchema(prefix));
  }
}

// The PostgreSQL schema both processes of a chat-pg cluster run shared.
async function dropSchema(schema) {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

async function reapOnce(servers, urls, prefix, { start, waitFor, options, heartbeat }) {
  const load = start('cluster-reap-load.mjs');
  await waitFor(load, (m) => m?.event === 'ready');
  load.send({ cmd: 'run', options: { urls, ...options } });
  await waitFor(load, (m) => m?.event === 'kill-now');
  // Every command goes to Redis's slow log while the reap runs (restored afterwards), so that each
  // step of the reap is timed: Redis does nothing else while one runs.
  const restore = await logEveryCommand();
  let result;
  let steps;
  try {
    servers[0].kill('SIGKILL');
    load.send({ cmd: 'killed' });
    ({ result } = await waitFor(load, (m) => m?.event === 'result'));
    steps = await reapSteps(prefix);
  } finally {
    await restore();
  }
  const [heartbeatMs = '5000', staleAfterMs = '15000'] = heartbeat;
  result.heartbeatMs = Number(heartbeatMs);
  result.staleAfterMs = Number(staleAfterMs);
  Object.assign(result, steps);
  load.send({ cmd: 'close' });
  await new Promise((r) => load.once('exit', r));
  return result;
}

async function redisClient() {
  const { createClient } = await import('redis');
  const client = createClient({ url: process.env.REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

// Sets the slow log to keep every command (up to 100,000); returns what puts the settings back.
async function logEveryCommand() {
  const client = await redisClient();
  try {
    const [, threshold] = await client.sendCommand(['CONFIG', 'GET', 'slowlog-log-slower-than']);
    const [, length] = await client.sendCommand(['CONFIG', 'GET', 'slowlog-max-len']);
    await client.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', '0']);
    await client.sendCommand(['CONFIG', 'SET', 'slowlog-max-len', '100000']);
    await client.sendCommand(['SLOWLOG', 'RESET']);
    return async () => {
      const again = await redisClient();
      try {
        await again.sendCommand(['CONFIG', 'SET', 'slowlog-log-slower-than', String(threshold)]);
        await again.sendCommand(['CONFIG', 'SET', 'slowlog-max-len', String(length)]);
        await again.sendCommand(['SLOWLOG', 'RESET']);
      } finally {
        await again.quit();
      }
    };
  } finally {
    await client.quit();
  }
}

// The reap's steps in the slow log: scripts on this run's `procs` key with the step argument
// (EVALSHA sha 1 procs staleMs prefix step [process]); HEARTBEAT has one argument.
async function reapSteps(prefix) {
  const client = await redisClient();
  try {
    const entries = await client.sendCommand(['SLOWLOG', 'GET', '100000']);
    const reaps = entries.filter((e) => Array.isArray(e[3]) && String(e[3][3]) === `${prefix}procs` && e[3].length >= 7);
    const ms = reaps.map((e) => Number(e[2]) / 1000);
    return {
      reapSteps: ms.length,
      reapStepMaxMs: ms.length > 0 ? Math.max(...ms) : Number.NaN,
      reapStepsTotalMs: ms.reduce((a, b) => a + b, 0),
      reapStepMs: ms.map((m) => Math.round(m * 10) / 10),
    };
  } finally {
    await client.quit();
  }
}

// Deletes the run's keys (the stream included); a process killed mid-run leaves them behind.
async function forget(prefix) {
  await sleep(100);
  const client = await redisClient().catch(() => undefined);
  if (!client) return;
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      const batch = [].concat(keys);
      if (batch.length > 0) await client.del(batch);
    }
  } finally {
    await client.quit();
  }
}
