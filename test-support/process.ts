import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './tracked.js';

/** A child process that printed `... listening on http://host:port`. */
export interface StartedProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * Starts `node script` with `env` and waits until it prints its URL; killed after the test.
 * Use PORT=0 so that each process gets a free port.
 */
export function startNodeProcess(script: string, env: Record<string, string>, cwd?: string): Promise<StartedProcess> {
  const child = spawn(process.execPath, [script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  track(() => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return exited.then(() => undefined);
    }
    return undefined;
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/u.exec(out);
      if (match?.[1]) resolve({ child, url: match[1], output: () => out });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening:\n${out}`)));
  });
}

/** A port that was free a moment ago (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
