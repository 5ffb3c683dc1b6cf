import type { ServerContext } from '../context.js';

/**
 * Takes one message from the user's message budget: 0, or the wait in ms. With a cluster the
 * bucket is shared by every process (in Redis), so a user with sockets on several processes
 * sends at the configured rate overall; alone, or while Redis cannot be reached, the process's
 * own bucket counts (no round trip on the fast path, and sends never fail because Redis did).
 * Alone, the answer is at hand: a number, not a promise, so that a send does not wait a turn of
 * the microtask queue for it before its broadcast.
 */
export function takeMessage(ctx: ServerContext, userId: string): number | Promise<number> {
  const local = ctx.budget(userId).messages;
  if (!ctx.rates) return local.take();
  return ctx.rates.take(`msg:${userId}`, ctx.limits.messageBurst, ctx.limits.messagesPerSecond).catch(() => local.take());
}
