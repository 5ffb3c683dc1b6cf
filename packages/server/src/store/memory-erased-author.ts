import type { Message, UserRef } from '@chat/protocol';
import { summaryWithout } from './erased-author.js';

/** What erasing an author needs of one room of `MemoryStore`. */
interface HeldRoom {
  byId: ReadonlyMap<string, Message>;
  threads: { leave(userId: string, parentId: string): void };
}

/**
 * `MemoryStore`'s part of a delete with `author` (erasing the message's author, `userId`): they
 * take part in the message's thread no more, and the summary of a reply's parent that lists them
 * lists `author` in their place. Returns that parent (changed in place: the caller gives it its
 * next rev), or undefined when no summary changed.
 */
export function erasedFromThread(room: HeldRoom, message: Message, userId: string, author: UserRef): Message | undefined {
  if (userId === author.id) return undefined;
  room.threads.leave(userId, message.threadOf ?? message.id);
  const parent = message.threadOf === undefined ? undefined : room.byId.get(message.threadOf);
  const summary = summaryWithout(parent?.thread, userId, author);
  if (!parent || !summary) return undefined;
  parent.thread = summary;
  return parent;
}
