import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

/** One redis-server of a local Redis Cluster. */
export interface ClusterNode {
  port: number;
  url: string;
  /** Whether the process still runs (a test may kill it). */
  alive(): boolean;
}

/** A local Redis Cluster of three primaries and three replicas, started by a test file. */
export interface LocalRedisCluster {
  nodes: ClusterNode[];
  /** The seed list to hand to `redisCluster({ nodes })`. */
  seeds: Array<{ url: string }>;
  /** The port of the primary that serves `key`'s slot now. */
  primaryOf(key: string): Promise<number>;
  /** The slot of `key` (CLUSTER KEYSLOT). */
  slotOf(key: string): Promise<number>;
  /** Kills the node on `port` with SIGKILL, as a crashed machine would go. */
  kill(port: number): Promise<void>;
  /** Resolves once every live node says cluster_state:ok and every slot has a primary that runs. */
  healthy(): Promise<void>;
  /** Kills every node and removes the config files. */
  stop(): Promise<void>;
}

let toldMissing = false;

/**
 * Why a suite on a local Redis Cluster cannot run here (no `redis-server` or `redis-cli`), or
 * undefined when it can; says it once on the console.
 */
export function redisClusterMissing(): string | undefined {
  const ok = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;
  if (ok) return undefined;
  const note = 'no redis-server / redis-cli 7 on PATH (install Redis 7 to run the Redis Cluster suites)';
  if (!toldMissing) {
    toldMissing = true;
    console.log(`Redis Cluster suites skipped: ${note}.`);
  }
  return note;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Six ports in a row whose cluster bus ports (+10000) are free as well.
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 17_000 + Math.floor(Math.random() * 400) * 10;
    const ports = Array.from({ length: 6 }, (_, i) => base + i);
    const free = await Promise.all(ports.flatMap((p) => [portFree(p), portFree(p + 10_000)]));
    if (free.every(Boolean)) return base;
  }
  throw new Error('No six free ports (and bus ports) found for a local Redis Cluster.');
}

function startNode(dir: string, port: number, nodeTimeoutMs: number): Promise<ChildProcess> {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
    ...['--cluster-node-timeout', String(nodeTimeoutMs), '--cluster-replica-validity-factor', '0'],
    // A replica's first sync starts at once (Redis waits 5 s by default for more replicas to join it).
    ...['--repl-diskless-sync-delay', '0'],
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server on ${port} exited with ${code}: ${out}`)));
  });
}

async function clusterCommand(port: number, args: string[]): Promise<unknown> {
  const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.sendCommand(args);
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** A range of CLUSTER SLOTS: first slot, last slot, [host, port, id] of its primary, replicas. */
type SlotRange = [number, number, [string, number, ...unknown[]]];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts three primaries and three replicas on loopback ports as child processes, joins them with
 * `redis-cli --cluster create`, and waits until every node says `cluster_state:ok`. Call `stop()`
 * in `afterAll`. A short `nodeTimeoutMs` makes a replica take over soon after its primary dies.
 */
export async function startRedisCluster(options: { nodeTimeoutMs?: number } = {}): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-redis-cluster-'));
  const base = await freeBase();
  const ports = Array.from({ length: 6 }, (_, i) => base + i);
  const children = new Map<number, ChildProcess>();
  const killAll = () => {
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  // Whatever happens to the test run, no redis-server outlives it.
  process.once('exit', killAll);
  const stop = async () => {
    process.off('exit', killAll);
    const exits = [...children.values()]
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map((c) => new Promise((resolve) => c.once('exit', resolve)));
    killAll();
    await Promise.all(exits);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await Promise.all(ports.map((port) => startNode(dir, port, options.nodeTimeoutMs ?? 1000)));
    started.forEach((child, i) => children.set(ports[i] as number, child));
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const alive = (port: number) => {
    const child = children.get(port);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  };
  // Every live node says ok, every slot range has a primary that runs (right after a kill, the
  // others still say ok until they see the node gone), and every live replica has its primary's
  // data: a replica promoted before its first sync ended would serve its slots empty (in a fresh
  // cluster that is a few seconds, the time a test takes to kill a primary).
  const healthy = async () => {
    for (let i = 0; i < 300; i++) {
      const live = ports.filter(alive);
      const infos = await Promise.all(live.map((p) => clusterCommand(p, ['CLUSTER', 'INFO']).catch(() => '')));
      const replication = await Promise.all(live.map((p) => clusterCommand(p, ['INFO', 'replication']).catch(() => '')));
      const slots = (await clusterCommand(live[0] as number, ['CLUSTER', 'SLOTS']).catch(() => [])) as SlotRange[];
      const served = slots.length > 0 && slots.every((range) => alive(Number(range[2][1])));
      const synced = replication.every((info) => !String(info).includes('role:slave') || String(info).includes('master_link_status:up'));
      if (served && synced && infos.every((info) => String(info).includes('cluster_state:ok'))) return;
      await pause(50);
    }
    throw new Error('The local Redis Cluster did not reach cluster_state:ok.');
  };
  const cluster: LocalRedisCluster = {
    nodes: ports.map((port) => ({ port, url: `redis://127.0.0.1:${port}`, alive: () => alive(port) })),
    seeds: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
    async slotOf(key) {
      const live = ports.find(alive) as number;
      return Number(await clusterCommand(live, ['CLUSTER', 'KEYSLOT', key]));
    },
    async primaryOf(key) {
      const slot = await cluster.slotOf(key);
      const live = ports.find(alive) as number;
      const ranges = (await clusterCommand(live, ['CLUSTER', 'SLOTS'])) as SlotRange[];
      const range = ranges.find(([from, to]) => slot >= Number(from) && slot <= Number(to));
      if (!range) throw new Error(`No primary serves slot ${slot}.`);
      return Number(range[2][1]);
    },
    async kill(port) {
      const child = children.get(port);
      if (!child || !alive(port)) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    healthy,
    stop,
  };
  await healthy();
  return cluster;
}
