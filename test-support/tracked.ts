// What a test opened (servers, sockets, clients, pools), closed after it by the afterEach hook of
// setup.ts. Its own small module, with no imports: setup.ts runs before every test file, and the
// files that share a worker's modules (vitest.config.ts, `isolate: false`) share this list.

const cleanups: Array<() => Promise<void> | void> = [];

/** Registers something to close after the current test. */
export function track(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup);
}

/** Closes everything the test opened, newest first, whatever the test's outcome. */
export async function closeTracked(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()?.();
}
