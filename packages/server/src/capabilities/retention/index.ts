// Retention: a timer the server owns deletes messages older than the server's `retention.days`
// or a room's `options.retentionDays`, in small batches, on one process of a cluster at a time.
import { toChatError, type Room } from '@chat/protocol';
import type { Capability } from '../../core/capability.js';
import type { FilesPort } from '../../core/ports.js';
import type { ServerContext } from '../../kernel/context.js';
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

/** The retention capability: no events, only its timer (started once ready, stopped on close). */
export function retentionCapability(ctx: () => ServerContext, parts: RetentionParts): Capability {
  const { settings } = parts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  const schedule = (delay: number): void => {
    if (closed) return;
    timer = setTimeout(() => {
      running = runRetention(ctx(), settings, parts.files, () => closed)
        .catch((error: unknown) => ctx().report(toChatError(error), { event: 'retention' }))
        .finally(() => schedule(settings.intervalMs));
    }, delay);
    // The timer alone never keeps a process alive.
    timer.unref();
  };
  return {
    name: 'retention',
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

/**
 * One pass over every room: on one process at a time when the store is shared (`exclusive`,
 * PostgreSQL's advisory lock), else here. Stops between batches once the server is closing.
 */
async function runRetention(ctx: ServerContext, settings: ResolvedRetention, files: FilesPort, closing: () => boolean): Promise<void> {
  const pass = async (): Promise<void> => {
    const now = Date.now();
    let after: string | undefined;
    for (;;) {
      const rooms = await ctx.store.scanRooms(after, ROOMS_PAGE);
      for (const room of rooms) {
        if (closing()) return;
        const days = daysOf(room, settings);
        if (days !== undefined) await expireRoom(ctx, room.id, new Date(now - days * DAY_MS).toISOString(), settings, files, closing);
      }
      if (rooms.length < ROOMS_PAGE) return;
      after = rooms.at(-1)?.id;
    }
  };
  if (ctx.store.exclusive) await ctx.store.exclusive('retention', pass);
  else await pass();
}

function daysOf(room: Room, settings: ResolvedRetention): number | undefined {
  // Ephemeral rooms store nothing; their log in memory or Redis expires on its own.
  if (room.options.ephemeral === true) return undefined;
  return room.options.retentionDays ?? settings.days;
}

async function expireRoom(
  ctx: ServerContext,
  roomId: string,
  before: string,
  settings: ResolvedRetention,
  files: FilesPort,
  closing: () => boolean,
): Promise<void> {
  while (!closing()) {
    const { messages } = await ctx.store.expireMessages(roomId, before, settings.batchSize);
    // After the rows: a file outlives its message for a moment, never the other way round.
    for (const message of messages) await files.removeAttached(message.attachments, message.user.id);
    if (messages.length < settings.batchSize) return;
  }
}
