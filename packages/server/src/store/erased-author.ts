import type { Message, ThreadSummary, UserRef } from '@chat/protocol';

// What both stores share about erasing a message's author (a delete with `author`, `chat.eraseUser`):
// the placeholder names `author` instead, and so does the summary of a reply's parent.

/** The author a placeholder names: only the fields a `UserRef` has, copied. */
export function authorRef(author: UserRef): UserRef {
  return {
    id: author.id,
    name: author.name,
    ...(author.avatarUrl !== undefined && { avatarUrl: author.avatarUrl }),
    ...(author.bot === true && { bot: true }),
  };
}

/** True when `user` is not `author` as a placeholder names it (id, name, avatar and bot mark). */
export function namesOther(user: UserRef, author: UserRef): boolean {
  const named = authorRef(author);
  return (
    user.id !== named.id || user.name !== named.name || user.avatarUrl !== named.avatarUrl || (user.bot === true) !== (named.bot === true)
  );
}

/** Gives a held message `author` instead of its author, in place; false when it named `author` already. */
export function renameAuthor(message: Message, author: UserRef): boolean {
  if (!namesOther(message.user, author)) return false;
  message.user = authorRef(author);
  return true;
}

/**
 * A thread summary with `userId` erased: their entry becomes `author` (or goes, when `author` is
 * listed already), in its place. Undefined when the summary does not list `userId`.
 */
export function summaryWithout(summary: ThreadSummary | undefined, userId: string, author: UserRef): ThreadSummary | undefined {
  if (!summary || userId === author.id || !summary.participants.some((p) => p.id === userId)) return undefined;
  const listed = summary.participants.some((p) => p.id === author.id);
  const participants = summary.participants.flatMap((p) => (p.id !== userId ? [p] : listed ? [] : [authorRef(author)]));
  return { ...summary, participants };
}
