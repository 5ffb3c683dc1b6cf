// The sweep of uploads never sent, a built-in written as a host writes a plugin (docs/plugins.md):
// a task it repeats (`tools.repeat`, on one process of a cluster at a time, as retention) removes
// files no message carried within `unattachedTtlMs`, in small batches, and the files of a deleted
// message that a crash left between its row change and their removal. `diskUploads()` is given to it.
import { definePlugin, type DefinedPlugin } from '../../core/plugin.js';

/** Files removed per step: each a few file operations, so a closing server waits for little. */
const BATCH = 100;

/** What the sweep needs of the server's uploads (`diskUploads()`). */
export interface UnsentFiles {
  /** Removes up to `limit` files never sent (or of deleted messages, unless `stillSent`); answers how many. */
  removeUnattached(limit: number, stillSent: (roomId: string, messageId: string) => Promise<boolean>): Promise<number>;
  /** How often the sweep runs, in ms. */
  readonly sweepIntervalMs: number;
}

/** The sweep's plugin (its lock: `uploads-unsent`): batch after batch until one comes back short. */
export function unsentUploadsPlugin(uploads: UnsentFiles): DefinedPlugin {
  return definePlugin({
    name: 'uploads-unsent',
    start: (tools) =>
      tools.repeat(uploads.sweepIntervalMs, async (closing) => {
        // A deletion's mark is kept (and dropped) while the store still has its message: the crash came before the row changed.
        const stillSent = async (roomId: string, messageId: string) => {
          const message = await tools.getMessage(roomId, messageId);
          return message !== null && message.deletedAt === undefined;
        };
        while (!closing() && (await uploads.removeUnattached(BATCH, stillSent)) === BATCH);
      }),
  });
}
