import type { ChatError, CommandRunResult, Message, MessageHistoryPayload, MessageHistoryResult, ThreadSummary } from '@chat/protocol';
import type { ChatThreadEvents } from './chat-thread-events.js';
import { Subscribable } from './core/subscribable.js';
import type { ThreadDraftInput } from './core/room-types.js';
import type { OutboxEntry } from './outbox/outbox-entry.js';
import type { ThreadSync } from './room/thread-sync.js';

/** What a {@link ChatThread} needs from its room. */
export interface ThreadHost {
  readonly roomId: string;
  /** `message:history` of the room, repeated when the server says to wait. */
  history(payload: MessageHistoryPayload): Promise<MessageHistoryResult>;
  /** The message with this id as the room's log holds it. */
  held(id: string): Message | undefined;
  /** Sends a reply through the room's outbox (rejects once the room is left or ended). */
  post(input: string | ThreadDraftInput, threadOf: string): Promise<Message>;
  /** The room's outbox, every entry. */
  outbox(): readonly OutboxEntry[];
  /** Runs a slash command line in the thread (rejects once the room is left or ended). */
  command(line: string, threadOf: string): Promise<CommandRunResult>;
  /** The room stops following this thread. */
  forget(thread: ChatThread): void;
  /** Your unread replies in the thread. */
  unread(parentId: string): number;
  /** Moves your mark in the thread to `seq`; resolves with the mark after. */
  markRead(parentId: string, seq: number): Promise<number>;
}

const NONE: readonly Message[] = Object.freeze([]);

/**
 * The thread of one message of a joined room: its replies in `seq` order without duplicates,
 * live, paged back with `history()`, and caught up after a reconnect; replies sent with `send()`
 * go through the room's outbox (kept across reconnects, stored once). Get one from
 * `room.thread(messageId)`. Its code is loaded with the first thread (a chunk of its own).
 * @example
 * const thread = room.thread(message.id);
 * thread.on('message', (reply) => console.log(reply.user.name, reply.text));
 * await thread.send('Agreed');
 */
export class ChatThread extends Subscribable<ChatThreadEvents> {
  /** The id of the message whose thread this is. */
  readonly parentId: string;
  /** The room the thread is in. */
  readonly roomId: string;
  readonly #host: ThreadHost;
  #sync: ThreadSync | undefined;
  readonly #syncing: Promise<ThreadSync>;
  readonly #ready: Promise<void>;
  /** Settles `ready()` once the room's join answer came (a thread opened before it). */
  #start: { resolve: () => void; reject: (error: ChatError) => void } | undefined;
  /** Changes of the parent that came before the thread's code was in. */
  readonly #early: Message[] = [];

  /** @internal Created by ChatRoom. */
  constructor(host: ThreadHost, parentId: string, joined: boolean) {
    super();
    this.#host = host;
    this.roomId = host.roomId;
    this.parentId = parentId;
    this.#syncing = import('./room/thread-sync.js').then(({ ThreadSync }) => {
      const sync = new ThreadSync({ ...host, parentId, emitter: this.emitter, roomCopy: () => host.held(parentId) });
      sync.receive(this.#early.splice(0));
      return (this.#sync = sync);
    });
    // Before the room's join answer, the first page waits for it (see `_synced`).
    this.#ready = joined ? this.#load() : new Promise((resolve, reject) => (this.#start = { resolve, reject }));
    this.#ready.catch((error: ChatError) => this.emitter.emit('error', error));
  }

  /** The parent message, as the room last saw it (undefined while neither the room nor the thread has loaded it). */
  get parent(): Message | undefined {
    return this.#sync?.parent ?? this.#host.held(this.parentId);
  }
  /** The parent's thread summary (reply count, last reply time, a few participants), kept current. */
  get summary(): ThreadSummary | undefined {
    return this.parent?.thread;
  }
  /** Loaded replies, ordered by seq. */
  get messages(): readonly Message[] {
    return this.#sync?.log.messages ?? NONE;
  }
  /** Older replies exist beyond the oldest loaded one. */
  get hasMoreHistory(): boolean {
    return this.#sync?.hasMoreHistory ?? false;
  }
  /** The latest page of replies is in. */
  get loaded(): boolean {
    return this.#sync?.loaded ?? false;
  }
  /**
   * Replies of others you have not read, when you take part in the thread (you wrote the parent
   * or a reply): exact after each join, then kept live; `markRead()` moves it.
   */
  get unread(): number {
    return this.#host.unread(this.parentId);
  }
  /** Your replies not yet acknowledged (pending) or refused (failed), in send order; their changes are the room's `updated`. */
  get outbox(): OutboxEntry[] {
    return this.#host.outbox().filter((entry) => entry.threadOf === this.parentId);
  }

  /** Resolves once the latest page of replies is in (rejects if it could not be loaded). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Sends a reply in this thread: like `room.send()`, it waits in the outbox while offline and is
   * stored once. `{ alsoInRoom: true }` shows it in the room's log too.
   * @example await thread.send({ text: 'Shipped', alsoInRoom: true });
   */
  send(input: string | ThreadDraftInput): Promise<Message> {
    return this.#host.post(input, this.parentId);
  }

  /**
   * Runs a slash command line (`/name args`) in this thread, as `room.runCommand()` runs one in the
   * room: what the command posts goes into the thread; `reply` is for you alone. Not resent by itself.
   * @example const { reply } = await thread.runCommand('/poll Friday or Monday?');
   */
  runCommand(line: string): Promise<CommandRunResult> {
    return this.#host.command(line, this.parentId);
  }

  /**
   * Marks the thread read up to `seq` (the newest loaded reply by default) on every device: its
   * replies stop counting in `unread` and in the room's `threadUnread`. Resolves with your mark after.
   * @example thread.on('message', () => visible && thread.markRead());
   */
  markRead(seq?: number): Promise<number> {
    const target = seq ?? this.messages.at(-1)?.seq;
    if (target === undefined) return Promise.resolve(0);
    return this.#host.markRead(this.parentId, target);
  }

  /** Loads a page of older replies into `messages`, and returns it. */
  async history(options: { before?: number; limit?: number } = {}): Promise<{ messages: Message[]; hasMore: boolean }> {
    return (await this.#syncing).history(options);
  }

  /** Stops following the thread (its listeners stay, but hear nothing more); `room.thread()` gives a new one. */
  close(): void {
    this.#host.forget(this);
    this.#start?.resolve();
    this.#start = undefined;
  }

  /** @internal Copies of messages the room received. */
  _receive(messages: readonly Message[]): void {
    if (this.#sync) this.#sync.receive(messages);
    // Replies come with the first page; a change of the parent the room may not hold is kept.
    else this.#early.push(...messages.filter((m) => m.id === this.parentId));
  }

  /** @internal The room is joined and caught up: the first page, or after a re-join the refresh. */
  _synced(): void {
    const start = this.#start;
    this.#start = undefined;
    if (start) this.#load().then(start.resolve, start.reject);
    else if (this.#sync?.loaded) this.#sync.load().catch((error: ChatError) => this.emitter.emit('error', error));
  }

  /** @internal Your unread count in the thread changed. */
  _unreadChanged(): void {
    this.emitter.emit('updated');
  }

  /** @internal The room closed: a first page still waited for fails with `error`. */
  _closed(error: ChatError): void {
    this.#start?.reject(error);
    this.#start = undefined;
  }

  async #load(): Promise<void> {
    return (await this.#syncing).load();
  }
}
