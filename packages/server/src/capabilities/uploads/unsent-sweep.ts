// The sweep of uploads never sent: a timer the server owns removes files no message carried
// within `unattachedTtlMs`, in small batches, on one process of a cluster at a time (as retention).
import { toChatError } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { ServerContext } from '../../kernel/context.js';
import type { DiskUploads } from './disk-uploads.js';

/** Files removed per step: each a few file operations, so a closing server waits for little. */
const BATCH = 100;

/** What the sweep needs beside the context. */
export interface UnsentSweepParts {
  uploads: Pick<DiskUploads, 'removeUnattached' | 'sweepIntervalMs'>;
  /** Resolves when the store is ready: the first run waits for it. */
  ready: () => Promise<void>;
}

/** The sweep's capability: no events, only its timer (started once ready, stopped on close). */
export function unsentSweepCapability(ctx: () => ServerContext, parts: UnsentSweepParts): Capability {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  const schedule = (delay: number): void => {
    if (closed) return;
    timer = setTimeout(() => {
      running = sweep(ctx(), parts.uploads, () => closed)
        .catch((error: unknown) => ctx().report(toChatError(error), { event: 'uploads sweep' }))
        .finally(() => schedule(parts.uploads.sweepIntervalMs));
    }, delay);
    // The timer alone never keeps a process alive.
    timer.unref();
  };
  return {
    name: 'uploads-sweep',
    listen: () => {
      // Asked a turn later: the server hands over its readiness once it is made.
      void Promise.resolve()
        .then(() => parts.ready())
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

/** One pass, batch by batch: under the store's `exclusive` lock when it has one (PostgreSQL), else here. */
async function sweep(ctx: ServerContext, uploads: UnsentSweepParts['uploads'], closing: () => boolean): Promise<void> {
  const pass = async (): Promise<void> => {
    while (!closing() && (await uploads.removeUnattached(BATCH)) === BATCH);
  };
  if (ctx.store.exclusive) await ctx.store.exclusive('uploads-unsent', pass);
  else await pass();
}
