import type { Message, ThreadRead } from '@chat/protocol';

/** One thread's unread state: your mark in it, its unread replies, the newest reply counted. */
interface ThreadCount {
  readSeq: number;
  unread: number;
  newest: number;
}

/**
 * Your unread replies per thread of a room (threads you take part in): set from each join answer
 * (`threads`, exact after any time away), then counted from live replies of others, and moved
 * by your marks (`read:mark { threadOf }`, and `thread:read` for those of your other sockets).
 */
export class ThreadUnread {
  readonly #threads = new Map<string, ThreadCount>();

  /** Unread replies in all threads of the room. */
  get total(): number {
    let total = 0;
    for (const thread of this.#threads.values()) total += thread.unread;
    return total;
  }

  /** Unread replies in one thread. */
  of(parentId: string): number {
    return this.#threads.get(parentId)?.unread ?? 0;
  }

  /** A join answer: the server's counts replace what was counted (threads left out have none). */
  joined(threads: readonly ThreadRead[] | undefined): void {
    const newest = Math.max(0, ...[...this.#threads.values()].map((t) => t.newest));
    this.#threads.clear();
    for (const t of threads ?? []) this.#threads.set(t.threadOf, { readSeq: t.readSeq, unread: t.unread, newest });
  }

  /**
   * A live message of the room. A reply of yours follows its thread (read up to it); a reply of
   * another (sent `alsoInRoom` too) counts in a thread you follow (`followed`: you wrote its parent),
   * and one that mentions you makes you follow its thread from it on. Returns whether a count changed.
   */
  live(message: Message, selfId: string | undefined, followed: (parentId: string) => boolean): boolean {
    const parentId = message.threadOf;
    if (parentId === undefined) return false;
    let thread = this.#threads.get(parentId);
    if (message.user.id === selfId) {
      if (!thread) this.#threads.set(parentId, (thread = { readSeq: 0, unread: 0, newest: 0 }));
      thread.newest = Math.max(thread.newest, message.seq);
      return this.#mark(thread, message.seq);
    }
    if (!thread) {
      const mentioned = selfId !== undefined && message.mentions?.includes(selfId) === true;
      if (!followed(parentId) && !mentioned) return false;
      this.#threads.set(parentId, (thread = { readSeq: 0, unread: 0, newest: 0 }));
    }
    if (message.seq <= Math.max(thread.newest, thread.readSeq)) return false;
    thread.newest = message.seq;
    thread.unread++;
    return true;
  }

  /**
   * Your mark in a thread you take part in moved (`thread:read` from another socket, or your own
   * `markRead()`): this mark and count replace the room's, unless it knows a later mark already.
   * Returns whether a count changed.
   */
  set({ threadOf, readSeq, unread }: ThreadRead): boolean {
    // A thread you do not take part in (not in the join answer, which lists all of yours, nor
    // entered since) counts nothing, read or not: its next replies are not yours to count.
    const thread = this.#threads.get(threadOf);
    if (!thread || readSeq < thread.readSeq) return false;
    this.#threads.set(threadOf, { ...thread, readSeq, unread });
    return unread !== thread.unread;
  }

  #mark(thread: ThreadCount, seq: number): boolean {
    if (seq <= thread.readSeq) return false;
    thread.readSeq = seq;
    const changed = thread.unread > 0;
    thread.unread = 0;
    return changed;
  }
}
