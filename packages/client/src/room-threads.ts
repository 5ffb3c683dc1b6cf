import type { ChatError, Message, ReadMarkResult, ThreadRead } from '@chat/protocol';
import type { ServerLink } from './core/transport.js';
import { ChatThread, type ThreadHost } from './chat-thread.js';
import { ThreadUnread } from './room/thread-unread.js';
import { RoomState } from './core/room-state.js';
import { draftEntry, type OutboxEntry } from './outbox/outbox-entry.js';
import type { Outbox } from './outbox/outbox.js';
import type { RoomSync } from './room/room-sync.js';

/** What a room's threads need from it: the threads' host, less what the registry does itself. */
export type ThreadsHost = Omit<ThreadHost, 'forget' | 'unread' | 'markRead'> & {
  /** The room is joined and caught up (a thread opened now loads at once). */
  joined(): boolean;
  /** Why the room can no longer be used (left or ended); undefined while it can. */
  closedError(): ChatError | undefined;
  /** `read:mark { threadOf }` of the room. */
  mark(threadOf: string, seq: number): Promise<ReadMarkResult>;
  /** Your user id in the room (once joined). */
  selfId(): string | undefined;
  /** A count the room shows changed (`room.threadUnread`). */
  changed(): void;
};

/**
 * The threads a room follows (`room.thread(id)`): one {@link ChatThread} per parent, handed every
 * copy of a message the room receives, loaded once the room is joined and refreshed after each
 * re-join.
 */
export class RoomThreads {
  readonly #host: ThreadHost;
  readonly #room: ThreadsHost;
  readonly #threads = new Map<string, ChatThread>();
  readonly #unread = new ThreadUnread();

  constructor(host: ThreadsHost) {
    this.#room = host;
    this.#host = {
      ...host,
      forget: (thread) => {
        if (this.#threads.get(thread.parentId) === thread) this.#threads.delete(thread.parentId);
      },
      // Your reply, once stored, reads its thread up to it (as the server moved your mark).
      post: (input, threadOf) => host.post(input, threadOf).then((reply) => (this.live(reply), reply)),
      unread: (parentId) => this.#unread.of(parentId),
      markRead: async (parentId, seq, unreadAfter) => {
        const { seq: readSeq } = await host.mark(parentId, seq);
        this.readElsewhere({ threadOf: parentId, readSeq, unread: unreadAfter(readSeq, host.selfId()) });
        return readSeq;
      },
    };
  }

  /** Your unread replies in every thread of the room you take part in. */
  get unread(): number {
    return this.#unread.total;
  }

  /** Your unread replies in one thread (0 in a thread you do not take part in). */
  unreadOf(parentId: string): number {
    return this.#unread.of(parentId);
  }

  /** A join answer's `threads` (exact after any time away). */
  joined(threads: readonly ThreadRead[] | undefined): void {
    const before = this.#unread.total;
    this.#unread.joined(threads);
    for (const thread of this.#threads.values()) thread._unreadChanged();
    if (this.#unread.total !== before) this.#room.changed();
  }

  /** A live message of the room (a reply may count as unread in a thread you take part in). */
  live(message: Message): void {
    const self = this.#room.selfId();
    if (!this.#unread.live(message, self, (parentId) => this.#room.held(parentId)?.user.id === self)) return;
    this.#threads.get(message.threadOf ?? '')?._unreadChanged();
    this.#room.changed();
  }

  /** The thread of `parentId`: the one followed already, or a new one. */
  get(parentId: string): ChatThread {
    let thread = this.#threads.get(parentId);
    if (thread) return thread;
    thread = new ChatThread(this.#host, parentId, this.#room.joined());
    const closed = this.#room.closedError();
    // A room left or ended has no thread to load: its `ready()` rejects with why.
    if (closed) thread._closed(closed);
    else this.#threads.set(parentId, thread);
    return thread;
  }

  /** Copies of messages the room received (see `SyncHost.copies`). */
  receive(messages: readonly Message[]): void {
    if (this.#threads.size === 0) return;
    for (const thread of this.#threads.values()) thread._receive(messages);
  }

  /** The room is joined and caught up (first join or re-join). */
  synced(): void {
    for (const thread of this.#threads.values()) thread._synced();
  }

  /** Your mark in a thread moved, here or on another socket or device (`thread:read`, with the server's count). */
  readElsewhere(read: ThreadRead): void {
    if (!this.#unread.set(read)) return;
    this.#threads.get(read.threadOf)?._unreadChanged();
    this.#room.changed();
  }

  /** The room was left or ended. */
  closed(error: ChatError): void {
    for (const thread of this.#threads.values()) thread._closed(error);
    this.#threads.clear();
  }
}

/** The threads of a room: its sync pages them, `post` sends a reply through the room's outbox, `link` runs their commands. */
export function roomThreads(
  sync: RoomSync,
  link: ServerLink,
  outbox: Outbox,
  post: (entry: OutboxEntry) => Promise<Message>,
  emitter: { emit(event: 'updated'): boolean },
): RoomThreads {
  return new RoomThreads({
    roomId: sync.id,
    history: (payload) => sync._patiently('message:history', payload),
    held: (messageId) => sync.log.get(messageId),
    post: (input, threadOf) => post(draftEntry(sync.id, input, threadOf)),
    outbox: () => outbox.entries(),
    command: async (line, threadOf) => {
      if (sync._isClosed()) throw sync._closedError();
      return (await import('./room/command-run.js')).runCommand(link, sync.id, line, threadOf);
    },
    joined: () => sync.state === RoomState.JOINED,
    closedError: () => (sync._isClosed() ? sync._closedError() : undefined),
    mark: (threadOf, seq) => sync._patiently('read:mark', { roomId: sync.id, seq, threadOf }),
    selfId: () => sync.self?.id,
    changed: () => emitter.emit('updated'),
  });
}
