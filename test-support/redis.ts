import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from './process.js';
import { track } from './tracked.js';

/** The Redis the cluster suites use, or undefined (they skip). */
export const REDIS_URL = process.env['REDIS_URL'];

let told = false;
/** True when the Redis suites must skip; says once how to run them. */
export function skipWithoutRedis(): boolean {
  if (REDIS_URL && process.env['DATABASE_URL']) return false;
  if (!told) {
    told = true;
    console.log(
      'Redis cluster suites skipped: set REDIS_URL=redis://127.0.0.1:6379 and DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them.',
    );
  }
  return true;
}

/**
 * A key prefix no other test run shares; its keys are deleted after the test (registered
 * first, so it runs after the servers that use it have closed).
 */
export function freshPrefix(url: string | undefined = REDIS_URL): string {
  const prefix = `chat-test-${randomBytes(4).toString('hex')}:`;
  if (url) {
    track(async () => {
      const { createClient } = await import('redis');
      const client = createClient({ url });
      client.on('error', () => undefined);
      try {
        await client.connect();
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
          const batch = ([] as string[]).concat(keys);
          if (batch.length > 0) await client.del(batch);
        }
      } finally {
        if (client.isOpen) await client.close();
      }
    });
  }
  return prefix;
}

/** True when a redis-server binary is here (for the suites that stop and start their own). */
function hasRedisServerBinary(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/**
 * Why a test that starts and kills its own Redis cannot run here (no `redis-server` binary), or
 * undefined when it can. Pass it to the test context's `skip(note)`: the skip then shows in the
 * report with its reason, and the console says once how to run it.
 */
export function redisServerMissing(): string | undefined {
  if (hasRedisServerBinary()) return undefined;
  const note = 'no redis-server binary on PATH (install Redis, e.g. apt-get install redis-server, to run it)';
  if (!toldBinary) {
    toldBinary = true;
    console.log(`Redis outage test skipped: ${note}.`);
  }
  return note;
}
let toldBinary = false;

/** A redis-server of the test's own on a free port, which it may kill and start again. */
export interface OwnRedis {
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child?.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    });
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  track(kill);
  return { url: `redis://127.0.0.1:${port}`, kill, start };
}
