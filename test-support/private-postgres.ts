import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './process.js';

// A PostgreSQL server of one test file's own, which the test may crash, restart or fill up
// without touching the shared one on 5432 (other files use that at the same time).

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** The newest PostgreSQL's bin folder here (Debian's layout, else what pg_config says), or undefined. */
function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(root, versions[0], 'bin');
  const bindir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout?.trim();
  return bindir && existsSync(join(bindir, 'initdb')) ? bindir : undefined;
}

let told = false;
/**
 * Why a test that runs its own PostgreSQL cannot run here, or undefined when it can. Pass it to
 * the test context's `skip(note)`; the console says once how to run it.
 */
export function privatePostgresMissing(): string | undefined {
  let note: string | undefined;
  if (binDir() === undefined) note = 'no PostgreSQL server binaries (initdb, pg_ctl) here (install the PostgreSQL server to run it)';
  else if (asRoot && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
    note = 'running as root without runuser (initdb refuses root; run as another user, or install util-linux)';
  else if (asRoot && spawnSync('id', ['-u', 'postgres']).status !== 0)
    note = 'running as root with no postgres user to run the server as (initdb refuses root)';
  if (note && !told) {
    told = true;
    console.log(`Private PostgreSQL test skipped: ${note}.`);
  }
  return note;
}

/** A PostgreSQL cluster of the test's own on 127.0.0.1 (trust auth), which it may stop and start. */
export interface PrivatePostgres {
  /** A superuser's connection string (it may use the reserved slots when the others are taken). */
  adminUrl: string;
  /** The connection string of role `chat` (no superuser), owner of database `chat`. */
  url: string;
  /** Stops the server: `immediate` is a crash (recovery on the next start), `fast` a clean shutdown. */
  stop(mode: 'immediate' | 'fast'): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and deletes its files (for afterAll). */
  remove(): Promise<void>;
}

/**
 * initdb (a few seconds: one per test file), then starts it with `settings` added to its
 * postgresql.conf (e.g. `{ max_connections: '10' }`). Check {@link privatePostgresMissing} first.
 */
export async function startPrivatePostgres(settings: Record<string, string> = {}): Promise<PrivatePostgres> {
  const bin = binDir();
  if (bin === undefined) throw new Error('No PostgreSQL binaries: check privatePostgresMissing() first.');
  const dir = await mkdtemp(join(tmpdir(), 'chat-pg-'));
  const data = join(dir, 'data');
  const owner = asRoot ? (await run('id', ['-u', 'postgres'])).stdout.trim() : undefined;
  if (owner !== undefined) {
    const group = (await run('id', ['-g', 'postgres'])).stdout.trim();
    await chown(dir, Number(owner), Number(group));
  }
  await chmod(dir, 0o700);
  // As root, initdb and the server run as the postgres user (initdb refuses root).
  const tool = (name: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args]) : run(join(bin, name), args);
  await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const conf = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    // Committed data survives a crash of the server (the OS keeps its writes); a test needs no more.
    fsync: 'off',
    shared_buffers: "'16MB'",
    ...settings,
  };
  const lines = Object.entries(conf).map(([key, value]) => `${key} = ${value}`);
  await appendFile(data + '/postgresql.conf', `\n${lines.join('\n')}\n`);
  const log = join(dir, 'server.log');
  const start = async () => {
    await tool('pg_ctl', ['-D', data, '-l', log, '-w', 'start']);
  };
  const stop = async (mode: 'immediate' | 'fast') => {
    await tool('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  };
  await start();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE ROLE chat LOGIN');
  await admin.query('CREATE DATABASE chat OWNER chat');
  await admin.end();
  return {
    adminUrl,
    url: `postgres://chat@127.0.0.1:${port}/chat`,
    stop,
    start,
    remove: async () => {
      await stop('immediate').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
