import { toChatError } from '@chat/protocol';
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
  const answered = (ctx.nsp as unknown as AckedEmitter).serverSideEmitWithAck(event, data).catch((error: unknown) => {
    ctx.report(toChatError(error), { event });
    return [] as unknown[];
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<unknown[]>((resolve) => {
    timer = setTimeout(() => resolve([]), ANSWERS_WAIT_MS);
    timer.unref?.();
  });
  try {
    return await Promise.race([answered, waited]);
  } finally {
    clearTimeout(timer);
  }
}
