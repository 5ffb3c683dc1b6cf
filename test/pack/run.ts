import { spawn, type ChildProcess } from 'node:child_process';

/** What a finished command printed, and how it ended. */
export interface RunResult {
  code: number | null;
  output: string;
}

const running = new Set<ChildProcess>();

/** Kills the commands still running (a hook that timed out leaves its command behind) and waits for them to exit. */
export async function killRunning(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGKILL');
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
