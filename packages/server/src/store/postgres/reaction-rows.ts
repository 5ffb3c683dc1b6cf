import { ID_LIMITS } from '@chat/protocol';

/**
 * One emoji of the summary kept on a `chat_messages` row (`reactions` jsonb): an array, so that
 * emojis keep the order of their first reaction (jsonb would reorder an object's keys).
 */
export interface ReactionRow {
  emoji: string;
  count: number;
  /** Oldest first, at most `ID_LIMITS.reactionUserIds`. */
  userIds: string[];
}

/**
 * The summary after `userId` adds or takes back `emoji`, computed from the one before (read under
 * the message's row lock, so it matches `chat_reactions`). For a removal of a listed user,
 * `others` are the oldest remaining users of that emoji (enough to refill the list). Returns null
 * when no reaction is left.
 */
export function nextReactions(
  current: readonly ReactionRow[],
  emoji: string,
  userId: string,
  op: 'add' | 'remove',
  others?: readonly string[],
): ReactionRow[] | null {
  const next: ReactionRow[] = [];
  let found = false;
  for (const row of current) {
    if (row.emoji !== emoji) {
      next.push(row);
      continue;
    }
    found = true;
    if (op === 'add') {
      const userIds = row.userIds.length < ID_LIMITS.reactionUserIds ? [...row.userIds, userId] : row.userIds;
      next.push({ emoji, count: row.count + 1, userIds });
    } else if (row.count > 1) {
      const userIds = others ? others.slice(0, ID_LIMITS.reactionUserIds) : row.userIds.filter((id) => id !== userId);
      next.push({ emoji, count: row.count - 1, userIds });
    }
  }
  if (!found && op === 'add') next.push({ emoji, count: 1, userIds: [userId] });
  return next.length > 0 ? next : null;
}
