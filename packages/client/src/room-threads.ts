import type { ChatError, Message } from '@chat/protocol';
import { ChatThread, type ThreadHost } from './chat-thread.js';
import { RoomState } from './core/room-state.js';
import { draftEntry, type OutboxEntry } from './outbox/outbox-entry.js';
import type { Outbox } from './outbox/outbox.js';
import type { RoomSync } from './room/room-sync.js';

/** What a room's threads need from it: the threads' host, less what the registry does itself. */
export type ThreadsHost = Omit<ThreadHost, 'forget'> & {
  /** The room is joined and caught up (a thread opened now loads at once). */
  joined(): boolean;
  /** Why the room can no longer be used (left or ended); undefined while it can. */
  closedError(): ChatError | undefined;
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

  constructor(host: ThreadsHost) {
    this.#room = host;
    this.#host = {
      ...host,
      forget: (thread) => {
        if (this.#threads.get(thread.parentId) === thread) this.#threads.delete(thread.parentId);
      },
    };
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

  /** The room was left or ended. */
  closed(error: ChatError): void {
    for (const thread of this.#threads.values()) thread._closed(error);
    this.#threads.clear();
  }
}

/** The threads of a room: its sync pages them, `post` sends a reply through the room's outbox. */
export function roomThreads(sync: RoomSync, outbox: Outbox, post: (entry: OutboxEntry) => Promise<Message>): RoomThreads {
  return new RoomThreads({
    roomId: sync.id,
    history: (payload) => sync._patiently('message:history', payload),
    held: (messageId) => sync.log.get(messageId),
    post: (input, threadOf) => post(draftEntry(sync.id, input, threadOf)),
    outbox: () => outbox.entries(),
    joined: () => sync.state === RoomState.JOINED,
    closedError: () => (sync._isClosed() ? sync._closedError() : undefined),
  });
}
