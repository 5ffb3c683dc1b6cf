import { spawn, type ChildProcess } from 'node:child_process';

/** What a finished command printed, and how it ended. */
export interface RunResult {
  code: number | null;
  output: string;
}

const running = new Set<ChildProcess>();
/** The commands started as the leaders of a process group of their own (`startUntil`). */
const groupLeaders = new WeakSet<ChildProcess>();

/** Kills a command, and what it started when it leads a process group. */
function kill(child: ChildProcess): void {
  if (groupLeaders.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // the group is gone already: kill the child alone below
    }
  }
  child.kill('SIGKILL');
}

/** Kills the commands still running (a hook that timed out leaves its command behind) and waits for them to exit. */
export async function killRunning(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise((resolve) => child.once('close', resolve));
      kill(child);
      return exited;
    }),
  );
}

/**
 * Runs a command to completion without a shell and collects stdout and stderr together. The child
 * is killed if it outlives `timeoutMs` (the result then says so), so a hung install cannot hang CI.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32', // npm and npx are .cmd files there
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed: still running after ${options.timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 180_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, output });
    });
  });
}

/**
 * Starts a long-running command (`npm start`, which starts node in turn) and resolves with the
 * first match of `pattern` in its output (a URL, a "joined" line) and a `stop` that kills it and
 * what it started; rejects with its output if it exits first.
 */
export function startUntil(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
  pattern: RegExp,
): Promise<{ match: RegExpExecArray; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
      detached: process.platform !== 'win32', // a process group, so that `stop` reaches npm's children too
    });
    if (process.platform !== 'win32') groupLeaders.add(child);
    running.add(child);
    const closed = new Promise((done) => child.once('close', done));
    const stop = async () => {
      kill(child);
      await closed;
    };
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve({ match, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child);
      reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code} in ${options.cwd} before printing ${pattern}:\n${output}`));
    });
  });
}

/** `run`, failing with the command and its output unless it exits 0. */
export async function runOk(command: string, args: string[], options: Parameters<typeof run>[2]): Promise<string> {
  const { code, output } = await run(command, args, options);
  if (code !== 0) throw new Error(`\`${command} ${args.join(' ')}\` exited with ${code} in ${options.cwd}:\n${output}`);
  return output;
}

/**
 * The environment without the variables npm sets for the script that started vitest: an
 * inherited `npm_config_local_prefix` or `npm_config_workspace` would point a nested
 * `npm install` back at the repository.
 */
export function cleanNpmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/iu.test(key) && key.toLowerCase() !== 'npm_config_cache') continue;
    env[key] = value;
  }
  return env;
}
