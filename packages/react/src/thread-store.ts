import { ChatError, ErrorCode, type ChatRoom, type ChatThread, type Message, type OutboxEntry, type ThreadSummary } from '@chat/client';
import { builtInError } from '@chat/protocol';
import { same } from './room-store.js';

/** What `useThread` shows of a thread; a new object whenever anything in it changed. */
export interface ThreadSnapshot {
  /** The SDK's thread (for `history()`, `close()`...); undefined without a room or a message id. */
  thread: ChatThread | undefined;
  /** The parent message, once the room or the thread has it. */
  parent: Message | undefined;
  /** The parent's summary: reply count, last reply time, a few participants. */
  summary: ThreadSummary | undefined;
  /** Loaded replies, ordered by seq. */
  messages: readonly Message[];
  /** Your replies not yet stored (`pending`) or refused (`failed`). */
  outbox: readonly OutboxEntry[];
  /** The latest page of replies is in. */
  loaded: boolean;
  /** Older replies exist beyond the oldest loaded one (`loadOlder()` pages back). */
  hasMoreHistory: boolean;
  /** Replies of others you have not read, in a thread you take part in (`thread.markRead()` reads them). */
  unread: number;
  /** Why a page could not be loaded. */
  error: ChatError | undefined;
}

/** The snapshot without a thread, and during server rendering. */
export const NO_THREAD: ThreadSnapshot = Object.freeze({
  thread: undefined,
  parent: undefined,
  summary: undefined,
  messages: Object.freeze([]),
  outbox: Object.freeze([]),
  loaded: false,
  hasMoreHistory: false,
  unread: 0,
  error: undefined,
});

/**
 * One thread of one room as an external store for `useSyncExternalStore`: it listens to the
 * thread (replies, parent) and to the room (the outbox's changes are the room's `updated`).
 */
export class ThreadStore {
  readonly #room: ChatRoom;
  readonly #thread: ChatThread;
  #snapshot: ThreadSnapshot = NO_THREAD;
  #stale = true;
  #error: ChatError | undefined;
  readonly #listeners = new Set<() => void>();

  constructor(room: ChatRoom, messageId: string) {
    this.#room = room;
    this.#thread = room.thread(messageId);
  }

  /** Listens to changes; returns the function that stops. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    const changed = () => this.#changed();
    const offs = [
      this.#thread.on('updated', changed),
      this.#room.on('updated', changed),
      this.#thread.on('error', (error) => this.#changed(error)),
    ];
    return () => {
      this.#listeners.delete(listener);
      for (const off of offs) off();
    };
  };

  /** The thread as it is now; the same object until something changes. */
  readonly getSnapshot = (): ThreadSnapshot => {
    if (!this.#stale) return this.#snapshot;
    this.#stale = false;
    const thread = this.#thread;
    const previous = this.#snapshot;
    const next: ThreadSnapshot = {
      thread,
      parent: thread.parent,
      summary: thread.summary,
      messages: same(previous.messages, thread.messages),
      outbox: same(previous.outbox, thread.outbox),
      loaded: thread.loaded,
      hasMoreHistory: thread.hasMoreHistory,
      unread: thread.unread,
      error: this.#error,
    };
    const keys = Object.keys(next) as Array<keyof ThreadSnapshot>;
    if (!keys.every((key) => next[key] === previous[key])) this.#snapshot = next;
    return this.#snapshot;
  };

  /** Sends a reply (see `ChatThread.send`). */
  send(input: Parameters<ChatThread['send']>[0]): Promise<Message> {
    return this.#thread.send(input);
  }

  /** Loads older replies; a failure is kept as `error` (and resolves). */
  async loadOlder(): Promise<void> {
    try {
      await this.#thread.history();
    } catch (error) {
      this.#changed(error instanceof ChatError ? error : builtInError(ErrorCode.INTERNAL, String(error), { cause: error }));
    }
  }

  #changed(error?: ChatError): void {
    if (error) this.#error = error;
    this.#stale = true;
    for (const listener of [...this.#listeners]) listener();
  }
}
