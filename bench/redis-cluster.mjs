// A local Redis Cluster for the `cluster-shard-*` scenarios: three primaries and three replicas on
// loopback ports, as test-support/redis-cluster.ts starts them for the test suites (that file is
// TypeScript, which the bench's plain `node` cannot import; this is its approach in .mjs). Its ports
// are 23000-23995 (cluster bus +10000), apart from the suites' 17000-20995, so that a bench beside a
// test run never takes theirs. A longer `cluster-node-timeout` than the suites' (10 s, not 1 s): on
// a loaded 2-core machine a node that answers late must not be failed over in the middle of a window.
// The nodes are killed (SIGKILL) by `stop()`, and on the runner's exit whatever ended it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a local Redis Cluster cannot start here (no redis-server / redis-cli), or undefined. */
export function redisClusterMissing() {
  const ok = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;
  return ok ? undefined : 'no redis-server / redis-cli 7 on PATH (install Redis 7 to run the Redis Cluster rows)';
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Six ports in a row whose cluster bus ports (+10000) are free as well.
async function freeBase() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 23_000 + Math.floor(Math.random() * 100) * 10;
    const ports = Array.from({ length: 6 }, (_, i) => base + i);
    const free = await Promise.all(ports.flatMap((p) => [portFree(p), portFree(p + 10_000)]));
    if (free.every(Boolean)) return base;
  }
  throw new Error('No six free ports (and bus ports) in 23000-23995 for a local Redis Cluster.');
}

function startNode(dir, port) {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
    ...['--cluster-node-timeout', '10000', '--repl-diskless-sync-delay', '0'],
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code) => reject(new Error(`redis-server on ${port} exited with ${code}: ${out}`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

async function client(port) {
  const { createClient } = await import('redis');
  const c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

async function command(port, args) {
  const c = await client(port);
  try {
    return await c.sendCommand(args);
  } finally {
    c.destroy();
  }
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the cluster and waits until every node says `cluster_state:ok` and every replica has
 * synced. Returns its seed URLs (`nodes`, for `redisCluster({ nodes })`), its primaries' ports,
 * `flush()` (empties the primaries between runs), `snapshot()` (each primary's counters, for
 * {@link shardSpread}) and `stop()`.
 */
export async function startRedisCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'chat-bench-redis-cluster-'));
  const base = await freeBase();
  const ports = Array.from({ length: 6 }, (_, i) => base + i);
  const children = [];
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killAll);
  const stop = async () => {
    process.off('exit', killAll);
    for (const reader of readers) reader.destroy();
    const exits = children
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map((c) => new Promise((resolve) => c.once('exit', resolve)));
    killAll();
    await Promise.all(exits);
  };
  let primaries;
  let readers = [];
  try {
    // One node at a time: six starting at once on a loaded machine may take long to be ready.
    for (const port of ports) children.push(await startNode(dir, port));
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    for (let i = 0; ; i++) {
      const infos = await Promise.all(ports.map((p) => command(p, ['CLUSTER', 'INFO']).catch(() => '')));
      const replication = await Promise.all(ports.map((p) => command(p, ['INFO', 'replication']).catch(() => '')));
      const synced = replication.every((info) => !String(info).includes('role:slave') || String(info).includes('master_link_status:up'));
      if (synced && infos.every((info) => String(info).includes('cluster_state:ok'))) break;
      if (i >= 600) throw new Error('The local Redis Cluster did not reach cluster_state:ok within 30 s.');
      await pause(50);
    }
    const slots = await command(ports[0], ['CLUSTER', 'SLOTS']);
    primaries = [...new Set(slots.map((range) => Number(range[2][1])))].sort((a, b) => a - b);
    // One connection per primary for the snapshots, opened now: a snapshot is one round trip each.
    readers = await Promise.all(primaries.map((port) => client(port)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ports,
    primaries,
    nodes: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
    /** Empties every primary (their replicas follow): a run leaves nothing for the next. */
    async flush() {
      await Promise.all(primaries.map((p) => command(p, ['FLUSHALL'])));
    },
    /** Each primary's counters now: commands, SPUBLISH and script calls, CPU, shard channels. */
    snapshot: () => Promise.all(readers.map((reader, i) => counters(primaries[i], reader))),
    stop,
  };
}

// INFO stats, commandstats and cpu of one node, as numbers.
async function counters(port, reader) {
  const text = String(await reader.sendCommand(['INFO', 'everything']));
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'mu').exec(text)?.[1] ?? Number.NaN);
  const calls = (cmd) => Number(new RegExp(`^cmdstat_${cmd}:calls=(\\d+)`, 'mu').exec(text)?.[1] ?? 0);
  return {
    port,
    commands: field('total_commands_processed'),
    spublish: calls('spublish'),
    scripts: calls('evalsha') + calls('eval') + calls('fcall'),
    own: calls('info'), // the snapshots' own
    byCommand: Object.fromEntries([...text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gmu)].map(([, cmd, n]) => [cmd, Number(n)])),
    cpuMs: (field('used_cpu_user') + field('used_cpu_sys')) * 1000,
    shardChannels: field('pubsubshard_channels'),
  };
}

/**
 * What each primary did between two snapshots: commands (less the INFOs that read them), SPUBLISH,
 * script calls and CPU, its share of the commands and of the SPUBLISHes, and the sharded channels
 * it held at the end.
 */
export function shardSpread(before, after) {
  const rows = after.map((a, i) => {
    const b = before[i];
    return {
      port: a.port,
      commands: a.commands - b.commands - (a.own - b.own),
      spublish: a.spublish - b.spublish,
      scripts: a.scripts - b.scripts,
      cpuMs: a.cpuMs - b.cpuMs,
      shardChannels: a.shardChannels,
      // The commands it ran most in the window (INFO aside), with their calls.
      top: Object.entries(a.byCommand)
        .map(([cmd, n]) => [cmd, n - (b.byCommand[cmd] ?? 0)])
        .filter(([cmd, n]) => cmd !== 'info' && n > 0)
        .sort((x, y) => y[1] - x[1])
        .slice(0, 4)
        .map(([cmd, n]) => `${cmd} ${n}`)
        .join(', '),
    };
  });
  const sum = (key) => rows.reduce((s, r) => s + r[key], 0);
  const commands = sum('commands');
  const spublish = sum('spublish');
  return rows.map((r) => ({ ...r, commandShare: r.commands / commands, spublishShare: spublish > 0 ? r.spublish / spublish : 0 }));
}
