import type { Message, MessageHistoryPayload, MessageHistoryResult } from '@chat/protocol';
import { CopyKind, MessageLog } from './message-log.js';

/** The thread events the sync tells (some of `ChatThreadEvents`): the thread's emitter is one. */
interface ThreadEmitter {
  emit(event: 'message' | 'messageUpdated' | 'parentUpdated', message: Message): boolean;
  emit(event: 'updated'): boolean;
}

/** What {@link ThreadSync} needs from its room. */
export interface ThreadSyncHost {
  readonly roomId: string;
  readonly parentId: string;
  readonly emitter: ThreadEmitter;
  /** `message:history` of the room, repeated when the server says to wait; rejects once the room is left. */
  history(payload: MessageHistoryPayload): Promise<MessageHistoryResult>;
  /** The parent as the room's log holds it, if loaded there. */
  roomCopy(): Message | undefined;
  /** Moves your mark in the thread (see `ThreadHost.markRead`). */
  markRead(parentId: string, seq: number, unreadAfter: (mark: number, selfId: string | undefined) => number): Promise<number>;
}

/**
 * The replies of one thread: the latest page first, older pages on demand, live replies and
 * changes from the room's copies (each once, the newest `rev` kept), and after a re-join a
 * refresh of what is held (new replies, and changes to the ones loaded).
 */
export class ThreadSync {
  readonly log: MessageLog;
  /** Older replies exist beyond the oldest loaded one. */
  hasMoreHistory = false;
  /** The first page is in. */
  loaded = false;
  readonly #host: ThreadSyncHost;
  /** The parent as this thread last saw it (when the room's log does not hold it). */
  #parent: Message | undefined;
  /** Copies that came while a page was on the way: applied after it, so none is lost. */
  #held: Message[] | undefined;
  #loading: Promise<void> | undefined;

  constructor(host: ThreadSyncHost) {
    this.#host = host;
    this.log = new MessageLog(host.roomId, host.parentId);
  }

  /** The parent message: the newest copy of the room's log and of this thread's. */
  get parent(): Message | undefined {
    const room = this.#host.roomCopy();
    const own = this.#parent;
    return !own || (room && room.rev >= own.rev) ? room : own;
  }

  /** Marks the thread read up to `seq` (the newest loaded reply by default); the replies of others loaded after the mark stay unread. */
  async markRead(seq = this.log.messages.at(-1)?.seq): Promise<number> {
    if (seq === undefined) return 0;
    return this.#host.markRead(
      this.#host.parentId,
      seq,
      (mark, self) => this.log.messages.filter((r) => r.seq > mark && r.user.id !== self).length,
    );
  }

  /**
   * The first page (the latest replies), or after a re-join a refresh: pages back from the newest
   * until the oldest reply held, so that replies sent meanwhile are added (and told) and the ones
   * held take their current state. One at a time: a second call shares the first.
   */
  load(): Promise<void> {
    this.#loading ??= this.#load().finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load(): Promise<void> {
    const first = !this.loaded;
    const oldest = this.log._oldestSeq;
    this.#held ??= [];
    try {
      // Pages back to the oldest reply held, applied together oldest first: new replies are told in order.
      const pages: Message[][] = [];
      let before: number | undefined;
      for (;;) {
        const page = await this.#page(before);
        pages.unshift(page.messages);
        const start = page.messages[0]?.seq;
        if (first) this.hasMoreHistory = page.hasMore;
        if (first || !page.hasMore || start === undefined || oldest === undefined || start <= oldest) break;
        before = start;
      }
      this.#apply(pages.flat(), CopyKind.PAGE, !first);
      this.loaded = true;
    } finally {
      const held = this.#held;
      this.#held = undefined;
      this.#apply(held, this.#liveKind(), true);
      this.#host.emitter.emit('updated');
    }
  }

  /** Loads a page of older replies (before the oldest loaded one unless `before` is given). */
  async history(options: { before?: number; limit?: number } = {}): Promise<MessageHistoryResult> {
    if (!this.loaded) await this.load();
    const before = options.before ?? this.log._oldestSeq;
    if (before === undefined && !this.hasMoreHistory) return { messages: [], hasMore: false };
    const oldest = this.log._oldestSeq;
    const page = await this.#page(before, options.limit);
    this.#apply(page.messages, CopyKind.PAGE, false);
    if (oldest === undefined || (before !== undefined && before <= oldest)) this.hasMoreHistory = page.hasMore;
    this.#host.emitter.emit('updated');
    return page;
  }

  /**
   * Copies of messages the room received (live, a send's ack, a change, a catch-up): this
   * thread's replies are taken when newer than the copy held or after the oldest loaded reply,
   * the parent when newer. Before the first page, or while one is on the way, they wait for it.
   */
  receive(messages: readonly Message[]): void {
    for (const message of messages) {
      if (message.id === this.#host.parentId && message.rev > (this.parent?.rev ?? -1)) {
        this.#parent = message;
        this.#host.emitter.emit('parentUpdated', message);
        this.#host.emitter.emit('updated');
      }
    }
    const replies = messages.filter((m) => m.threadOf === this.#host.parentId);
    if (replies.length === 0) return;
    if (this.#held) this.#held.push(...replies);
    else if (this.loaded && this.#apply(replies, this.#liveKind(), true)) this.#host.emitter.emit('updated');
  }

  // With every reply of the thread loaded (no older page), a reply not held is one it lacks, even
  // under a seq before the oldest held: another process's reply can come after a newer one acked
  // here. Otherwise only a reply after the oldest loaded one (an older one comes with history()).
  #liveKind(): CopyKind {
    return this.hasMoreHistory ? CopyKind.CHANGE : CopyKind.PAGE;
  }

  #page(before: number | undefined, limit?: number): Promise<MessageHistoryResult> {
    const { roomId, parentId } = this.#host;
    return this.#host.history({
      roomId,
      threadOf: parentId,
      ...(before !== undefined && { before }),
      ...(limit !== undefined && { limit }),
    });
  }

  #apply(messages: readonly Message[], kind: CopyKind, announce: boolean): boolean {
    const { added, updated } = this.log.apply(messages, kind);
    if (announce) for (const message of added) this.#host.emitter.emit('message', message);
    for (const message of updated) this.#host.emitter.emit('messageUpdated', message);
    return added.length > 0 || updated.length > 0;
  }
}
