import type { CapabilityContext } from '../capability-context.js';

/**
 * The mentions a message keeps: ids of users present in the room now (on any process, through
 * the presence registry), each once, in the order given. Others are dropped, not refused: a
 * member who left while the text was written is no reason to lose the message.
 */
export async function keepPresent(ctx: CapabilityContext, roomId: string, userIds: readonly string[] | undefined): Promise<string[]> {
  if (!userIds || userIds.length === 0) return [];
  const unique = [...new Set(userIds)];
  const present = await ctx.presence.lookup(roomId, unique);
  return unique.filter((id) => present.has(id));
}
