import { builtInError, toChatError } from '@chat/protocol';
import type { ServerContext } from './context.js';

/** The longest a signal waits for the other processes' answers: the adapter's own time for them. */
const ANSWERS_WAIT_MS = 5000;

type AckedEmitter = { serverSideEmitWithAck(event: string, data: unknown): Promise<unknown[]> };

/**
 * Sends `data` to the other processes of the cluster (`serverSideEmitWithAck`) and resolves with
 * their answers once each has answered. A process that does not answer in the adapter's time is
 * reported, and the answers are then `[]`. Never waits longer than ANSWERS_WAIT_MS: the adapter
 * counts the processes with a Redis command before its own timer starts, so while Redis is away it
 * would wait until Redis is back (the processes then read what they cache again: the resync).
 */
export async function askEverywhere(ctx: Pick<ServerContext, 'nsp' | 'report'>, event: string, data: unknown): Promise<unknown[]> {
  let timedOut = false;
  const answered = (ctx.nsp as unknown as AckedEmitter).serverSideEmitWithAck(event, data).catch((error: unknown) => {
    // Said once: after our own wait ran out, the adapter's later failure says nothing new.
    if (!timedOut) ctx.report(toChatError(error), { event });
    return [] as unknown[];
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<unknown[]>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      ctx.report(
        builtInError(
          'TIMEOUT',
          `The other processes did not answer "${event}" within ${ANSWERS_WAIT_MS / 1000} s (Redis away, or a process of an older version): it reaches them when they can hear it; until then their cached copies last at most their cache's lifetime (roomCacheMs for rooms, 2 s for members).`,
        ),
        { event },
      );
      resolve([]);
    }, ANSWERS_WAIT_MS);
    timer.unref?.();
  });
  try {
    return await Promise.race([answered, waited]);
  } finally {
    clearTimeout(timer);
  }
}
