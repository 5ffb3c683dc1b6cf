import { THREAD_PARTICIPANTS_MAX, firstAfter, type Message, type ThreadRead, type ThreadSummary, type UserRef } from '@chat/protocol';
import type { MessagePage, MessageQuery, ReadMarkResult } from '../core/chat-store.js';

const seqOf = (message: Message): number => message.seq;

/** True for a message of the main log: not a reply, or a reply sent `alsoInRoom`. */
export function inMainLog(message: Message): boolean {
  return message.threadOf === undefined || message.alsoInRoom === true;
}

/** True for a reply shown only in its thread. */
function threadOnly(message: Message): boolean {
  return message.threadOf !== undefined && message.alsoInRoom !== true;
}

/**
 * One room's threads, for `MemoryStore`: each thread's replies in seq order (the store's own
 * message objects), who takes part in each, and the seqs of thread-only replies (so that a
 * room's unread count leaves them out by a binary search, not a scan).
 */
export class MemoryThreads {
  readonly #replies = new Map<string, Message[]>();
  readonly #participants = new Map<string, Set<string>>();
  /** User id -> the threads they take part in. */
  readonly #byUser = new Map<string, Set<string>>();
  /** Thread-only replies, seq order. */
  readonly #threadOnly: Message[] = [];
  /** User id -> their mark in each thread (parent id -> seq). */
  readonly #reads = new Map<string, Map<string, number>>();

  /**
   * Files a new reply (the highest seq of the room) under `parent` and changes the parent's
   * summary in place; the caller gives the parent its new rev.
   */
  add(reply: Message, parent: Message): void {
    const parentId = parent.id;
    const replies = this.#replies.get(parentId);
    if (replies) replies.push(reply);
    else this.#replies.set(parentId, [reply]);
    if (threadOnly(reply)) this.#threadOnly.push(reply);
    // Those it mentions take part from this reply on: the replies before it are not theirs to read.
    for (const id of reply.mentions ?? []) {
      if (id === parent.user.id || this.#participants.get(parentId)?.has(id)) continue;
      this.#join(parentId, id);
      this.markRead(id, parentId, reply.seq - 1, reply.seq);
    }
    this.#join(parentId, parent.user.id);
    this.#join(parentId, reply.user.id);
    this.markRead(reply.user.id, parentId, reply.seq, reply.seq);
    parent.thread = nextSummary(parent.thread, reply);
  }

  /** Moves `userId`'s mark in the thread of `parentId` forward to `seq`, clamped to `lastSeq`. */
  markRead(userId: string, parentId: string, seq: number, lastSeq: number): ReadMarkResult {
    let marks = this.#reads.get(userId);
    if (!marks) this.#reads.set(userId, (marks = new Map<string, number>()));
    const old = marks.get(parentId) ?? 0;
    const target = Math.min(seq, lastSeq);
    if (target <= old) return { seq: old, changed: false };
    marks.set(parentId, target);
    return { seq: target, changed: true };
  }

  /**
   * The threads the user takes part in: those with replies of others after their mark first (the
   * newest such reply first), then the others (0 unread: the newest reply first).
   */
  reads(userId: string, limit: number): ThreadRead[] {
    const found: Array<ThreadRead & { newest: number; last: number }> = [];
    for (const parentId of this.#byUser.get(userId) ?? []) {
      const readSeq = this.#reads.get(userId)?.get(parentId) ?? 0;
      const unread = this.#unreadIn(userId, parentId, readSeq);
      const last = this.#replies.get(parentId)?.at(-1)?.seq ?? 0;
      found.push({ threadOf: parentId, readSeq, unread: unread.count, newest: unread.newest, last });
    }
    found.sort((a, b) => b.newest - a.newest || b.last - a.last || (a.threadOf < b.threadOf ? -1 : 1));
    return found.slice(0, Math.max(0, limit)).map(({ threadOf, readSeq, unread }) => ({ threadOf, readSeq, unread }));
  }

  /** Every mark of the user in this room's threads (`userRecords`). */
  marksOf(userId: string): Array<{ threadOf: string; readSeq: number }> {
    return [...(this.#reads.get(userId) ?? [])].map(([threadOf, readSeq]) => ({ threadOf, readSeq }));
  }

  /** Erasing a user: their thread marks go, and they take part in no thread (one they were mentioned into too). */
  eraseUser(userId: string): void {
    this.#reads.delete(userId);
    for (const parentId of [...(this.#byUser.get(userId) ?? [])]) this.leave(userId, parentId);
  }

  /** Erasing a message's author (`userId`): they take part in the thread of `parentId` no more. */
  leave(userId: string, parentId: string): void {
    this.#participants.get(parentId)?.delete(userId);
    const threads = this.#byUser.get(userId);
    threads?.delete(parentId);
    if (threads?.size === 0) this.#byUser.delete(userId);
  }

  /** A message trimmed from the room's log (the oldest): it leaves its thread's index too. */
  drop(message: Message): void {
    if (message.threadOf === undefined) return;
    const replies = this.#replies.get(message.threadOf);
    if (replies?.[0] === message) replies.shift();
    if (this.#threadOnly[0] === message) this.#threadOnly.shift();
  }

  /** Thread-only replies with seq above `seq` (they are not part of the room's unread count). */
  threadOnlyAfter(seq: number): number {
    return this.#threadOnly.length - firstAfter(this.#threadOnly, seq, seqOf);
  }

  /** Messages of the main log with seq in (`after`, `upTo`]: the seqs less the thread-only replies (`ChatStore.mainLogCount`). */
  mainLogCount(after: number, upTo: number): number {
    if (upTo <= after) return 0;
    return upTo - after - (this.threadOnlyAfter(after) - this.threadOnlyAfter(upTo));
  }

  /** Replies of others (`alsoInRoom` ones too) after the user's mark in each thread they take part in. */
  unreadFor(userId: string): number {
    let count = 0;
    const marks = this.#reads.get(userId);
    for (const parentId of this.#byUser.get(userId) ?? []) count += this.#unreadIn(userId, parentId, marks?.get(parentId) ?? 0).count;
    return count;
  }

  #unreadIn(userId: string, parentId: string, seq: number): { count: number; newest: number } {
    const replies = this.#replies.get(parentId) ?? [];
    let count = 0;
    let newest = 0;
    for (let i = firstAfter(replies, seq, seqOf); i < replies.length; i++) {
      const reply = replies[i] as Message;
      if (reply.user.id !== userId) {
        count++;
        newest = reply.seq;
      }
    }
    return { count, newest };
  }

  /** The thread's participants' user ids. */
  participants(parentId: string): string[] {
    return [...(this.#participants.get(parentId) ?? [])];
  }

  /** A page of a thread's replies by seq, as `listMessages` pages the room (the store's objects: copy them). */
  page(parentId: string, query: MessageQuery, limit: number): MessagePage {
    const replies = this.#replies.get(parentId) ?? [];
    if (query.after !== undefined) {
      const start = firstAfter(replies, query.after, seqOf);
      const end = Math.min(replies.length, start + limit);
      return { messages: replies.slice(start, end), hasMore: end < replies.length };
    }
    const end = query.before === undefined ? replies.length : firstAfter(replies, query.before - 1, seqOf);
    const start = Math.max(0, end - limit);
    return { messages: replies.slice(start, end), hasMore: start > 0 };
  }

  #join(parentId: string, userId: string): void {
    const people = this.#participants.get(parentId);
    if (people) people.add(userId);
    else this.#participants.set(parentId, new Set([userId]));
    const threads = this.#byUser.get(userId);
    if (threads) threads.add(parentId);
    else this.#byUser.set(userId, new Set([parentId]));
  }
}

/**
 * A page of the main log from a room's messages (seq order, `messages[i].seq === firstSeq + i`):
 * replies without `alsoInRoom` are stepped over (the store's objects: copy them).
 */
export function mainLogPage(messages: readonly Message[], firstSeq: number, query: MessageQuery, limit: number): MessagePage {
  const page: Message[] = [];
  if (query.after !== undefined) {
    for (let i = Math.max(0, query.after + 1 - firstSeq); i < messages.length; i++) {
      const message = messages[i] as Message;
      if (!inMainLog(message)) continue;
      if (page.length === limit) return { messages: page, hasMore: true };
      page.push(message);
    }
    return { messages: page, hasMore: false };
  }
  const end = query.before === undefined ? messages.length : Math.max(0, Math.min(messages.length, query.before - firstSeq));
  for (let i = end - 1; i >= 0; i--) {
    const message = messages[i] as Message;
    if (!inMainLog(message)) continue;
    if (page.length === limit) return { messages: page.reverse(), hasMore: true };
    page.push(message);
  }
  return { messages: page.reverse(), hasMore: false };
}

/** The summary after one more reply: the count, its time, and its sender among the first few. */
function nextSummary(summary: ThreadSummary | undefined, reply: Message): ThreadSummary {
  const participants: UserRef[] = summary ? summary.participants : [];
  const known = participants.some((p) => p.id === reply.user.id);
  return {
    replyCount: (summary?.replyCount ?? 0) + 1,
    lastReplyAt: reply.createdAt,
    participants: known || participants.length >= THREAD_PARTICIPANTS_MAX ? participants : [...participants, { ...reply.user }],
  };
}
