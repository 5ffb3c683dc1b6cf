// Retention, a built-in written as a host writes a plugin (docs/plugins.md): a task it repeats
// (`tools.repeat`, on one process of a cluster at a time) deletes messages older than the server's
// `retention.days` or a room's `options.retentionDays`, in small batches. The store's retention
// part and the server's files are given to it.
import { toChatError, type Room } from '@chat/protocol';
import { definePlugin, type DefinedPlugin } from '../../core/plugin.js';
import type { FilesPort } from '../../core/ports.js';
import type { RetentionStore } from '../../core/store-parts.js';
import type { ResolvedRetention } from './retention-options.js';

const DAY_MS = 86_400_000;
const ROOMS_PAGE = 200;

/** What retention needs of the server. */
export interface RetentionParts {
  settings: ResolvedRetention;
  /** The store's retention part; undefined for a store without it (no room has retentionDays then: refused, nor `retention.days`). */
  store: () => RetentionStore | undefined;
  files: FilesPort;
}

/** The retention plugin (its lock: `retention`): no events, only the task it repeats. */
export function retentionPlugin(parts: RetentionParts): DefinedPlugin {
  const { settings } = parts;
  return definePlugin({
    name: 'retention',
    start: (tools) =>
      tools.repeat(settings.intervalMs, async (closing) => {
        const store = parts.store();
        if (store) await runRetention(store, settings, parts.files, closing, (error) => tools.report(error));
      }),
  });
}

/** One pass over every room. Stops between batches once the server is closing. */
async function runRetention(
  store: RetentionStore,
  settings: ResolvedRetention,
  files: FilesPort,
  closing: () => boolean,
  report: (error: unknown) => void,
): Promise<void> {
  const now = Date.now();
  let after: string | undefined;
  for (;;) {
    const rooms = await store.scanRooms(after, ROOMS_PAGE);
    for (const room of rooms) {
      if (closing()) return;
      const days = daysOf(room, settings);
      if (days === undefined) continue;
      try {
        await expireRoom(store, room.id, new Date(now - days * DAY_MS).toISOString(), settings, files, closing);
      } catch (error) {
        // A room whose rows another transaction holds is left for the next pass; the others go on.
        // Anything else (the database gone) ends the pass: it would fail every room the same way.
        const failure = toChatError(error);
        if (failure.code !== 'TIMEOUT') throw failure;
        report(failure);
      }
    }
    if (rooms.length < ROOMS_PAGE) return;
    after = rooms.at(-1)?.id;
  }
}

function daysOf(room: Room, settings: ResolvedRetention): number | undefined {
  // Ephemeral rooms store nothing; their log in memory or Redis expires on its own.
  if (room.options.ephemeral === true) return undefined;
  return room.options.retentionDays ?? settings.days;
}

async function expireRoom(
  store: RetentionStore,
  roomId: string,
  before: string,
  settings: ResolvedRetention,
  files: FilesPort,
  closing: () => boolean,
): Promise<void> {
  while (!closing()) {
    const { messages } = await store.expireMessages(roomId, before, settings.batchSize);
    // After the rows: a file outlives its message for a moment, never the other way round (an
    // encrypted message's files are found from its list, since the row never names them).
    for (const message of messages) await (await files.release(message)).remove();
    if (messages.length < settings.batchSize) return;
  }
}

export { resolveRetention } from './retention-options.js';
export type { ResolvedRetention, RetentionOptions } from './retention-options.js';
