// Retention: a timer the server owns deletes messages older than the server's `retention.days`
// or a room's `options.retentionDays`, in small batches, on one process of a cluster at a time.
import { toChatError, type Room } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import { storeLacks } from '../../core/complete-store.js';
import type { FilesPort } from '../../core/ports.js';
import type { CapabilityContext } from '../capability-context.js';
import { periodicCapability } from '../../kernel/periodic-task.js';
import type { ResolvedRetention } from './retention-options.js';

const DAY_MS = 86_400_000;
const ROOMS_PAGE = 200;

/** What retention needs beside the context. */
export interface RetentionParts {
  settings: ResolvedRetention;
  files: FilesPort;
  /** Resolves when the store is ready: the first run waits for it. */
  ready: () => Promise<void>;
}

/** The retention capability (its lock: `retention`): no events, only its timer. */
export function retentionCapability(ctx: () => CapabilityContext, parts: RetentionParts): Capability {
  const { settings } = parts;
  return periodicCapability(ctx, {
    name: 'retention',
    intervalMs: settings.intervalMs,
    ready: parts.ready,
    // A store without `RetentionStore` has no room with retentionDays (refused) and no `retention.days`.
    run: (closing) => (storeLacks(ctx().store, 'retention') ? Promise.resolve() : runRetention(ctx(), settings, parts.files, closing)),
  });
}

/** One pass over every room (under the cluster's lock: see `periodicCapability`). Stops between batches once the server is closing. */
async function runRetention(ctx: CapabilityContext, settings: ResolvedRetention, files: FilesPort, closing: () => boolean): Promise<void> {
  const now = Date.now();
  let after: string | undefined;
  for (;;) {
    const rooms = await ctx.store.scanRooms(after, ROOMS_PAGE);
    for (const room of rooms) {
      if (closing()) return;
      const days = daysOf(room, settings);
      if (days === undefined) continue;
      try {
        await expireRoom(ctx, room.id, new Date(now - days * DAY_MS).toISOString(), settings, files, closing);
      } catch (error) {
        // A room whose rows another transaction holds is left for the next pass; the others go on.
        // Anything else (the database gone) ends the pass: it would fail every room the same way.
        const failure = toChatError(error);
        if (failure.code !== 'TIMEOUT') throw failure;
        ctx.report(failure, { event: 'retention' });
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
  ctx: CapabilityContext,
  roomId: string,
  before: string,
  settings: ResolvedRetention,
  files: FilesPort,
  closing: () => boolean,
): Promise<void> {
  while (!closing()) {
    const { messages } = await ctx.store.expireMessages(roomId, before, settings.batchSize);
    // After the rows: a file outlives its message for a moment, never the other way round (an
    // encrypted message's files are found from its list, since the row never names them).
    for (const message of messages) await (await files.release(message)).remove();
    if (messages.length < settings.batchSize) return;
  }
}

export { resolveRetention } from './retention-options.js';
export type { ResolvedRetention, RetentionOptions } from './retention-options.js';
