// A task the server runs on its own timer (retention, the sweep of uploads never sent): first as
// soon as the server is ready, then an interval after each run ends; on one process of a cluster
// at a time when the store can lock (`exclusive`, PostgreSQL's advisory lock), else here.
import type { Capability } from '../core/capability.js';
import { chatErrorOf } from '../core/storage-unreachable.js';
import type { ServerContext } from './context.js';

/** What {@link periodicCapability} runs. */
export interface PeriodicTask {
  /** The capability's name, and the name of its cluster-wide lock. */
  name: string;
  /** Milliseconds from the end of one run to the start of the next. */
  intervalMs: number;
  /** Resolves when the store is ready: the first run waits for it. */
  ready: () => Promise<void>;
  /** One run; `closing()` turns true once the server closes: stop between two steps. */
  run: (closing: () => boolean) => Promise<void>;
}

/** The task's capability: no events, only its timer (started once ready, stopped on close, which waits for a run under way). */
export function periodicCapability(ctx: () => ServerContext, task: PeriodicTask): Capability {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  const closing = () => closed;
  const runOnce = async (): Promise<void> => {
    const { store } = ctx();
    if (store.exclusive) await store.exclusive(task.name, () => task.run(closing));
    else await task.run(closing);
  };
  const schedule = (delay: number): void => {
    if (closed) return;
    timer = setTimeout(() => {
      running = runOnce()
        // A storage that cannot be reached, or is busy, is said so (the next run tries again).
        .catch((error: unknown) => ctx().report(chatErrorOf(error), { event: task.name }))
        .finally(() => schedule(task.intervalMs));
    }, delay);
    // The timer alone never keeps a process alive.
    timer.unref();
  };
  return {
    name: task.name,
    listen: () => {
      // Asked a turn later: the server hands over its readiness once it is made.
      void Promise.resolve()
        .then(() => task.ready())
        .then(
          () => schedule(0),
          () => undefined,
        );
    },
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
