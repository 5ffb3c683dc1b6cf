// The sweep of uploads never sent: a timer the server owns removes files no message carried
// within `unattachedTtlMs`, in small batches, on one process of a cluster at a time (as retention),
// and the files of a deleted message that a crash left between its row change and their removal.
import type { Capability } from '../../core/capability.js';
import type { CapabilityContext } from '../capability-context.js';
import { periodicCapability } from '../../kernel/periodic-task.js';
import type { DiskUploads } from './disk-uploads.js';

/** Files removed per step: each a few file operations, so a closing server waits for little. */
const BATCH = 100;

/** What the sweep needs beside the context. */
export interface UnsentSweepParts {
  uploads: Pick<DiskUploads, 'removeUnattached' | 'sweepIntervalMs'>;
  /** Resolves when the store is ready: the first run waits for it. */
  ready: () => Promise<void>;
}

/** The sweep's capability (its lock: `uploads-unsent`): batch after batch until one comes back short. */
export function unsentSweepCapability(ctx: () => CapabilityContext, parts: UnsentSweepParts): Capability {
  const { uploads } = parts;
  return periodicCapability(ctx, {
    name: 'uploads-unsent',
    intervalMs: uploads.sweepIntervalMs,
    ready: parts.ready,
    run: async (closing) => {
      // A deletion's mark is kept (and dropped) while the store still has its message: the crash came before the row changed.
      const stillSent = async (roomId: string, messageId: string) => {
        const message = await ctx().store.getMessage(roomId, messageId);
        return message !== null && message.deletedAt === undefined;
      };
      while (!closing() && (await uploads.removeUnattached(BATCH, stillSent)) === BATCH);
    },
  });
}
