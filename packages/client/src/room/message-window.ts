import type { Message, MessageHistoryPayload, MessageHistoryResult } from '@chat/protocol';
import { Subscribable } from '../core/subscribable.js';
import { CopyKind, MessageLog } from './message-log.js';
import type { RoomSync, SeqRange } from './room-sync.js';

/** How many messages a window loads around its message, and in each page after. */
const WINDOW_PAGE = 50;

/** The events of a {@link MessageWindow}. */
export interface MessageWindowEvents {
  /** Its messages changed: a page came, one of them was edited, deleted or reacted to, or it joined the room's. */
  updated: [];
}

/** What a {@link MessageWindow} needs from its room. */
export interface WindowHost {
  readonly roomId: string;
  /** `message:history` of the room, repeated when the server says to wait. */
  history(payload: MessageHistoryPayload): Promise<MessageHistoryResult>;
  /** The seq of the oldest message the room holds (undefined: none). */
  oldestSeq(): number | undefined;
  /** Puts the window's messages, which reach the room's, into the room's (`hasOlder`: older ones exist). */
  merge(messages: readonly Message[], hasOlder: boolean): void;
  /** The room stops handing the window changes. */
  forget(window: MessageWindow): void;
}

/** The host of the windows of a room: its sync, and the set of windows the room hands changes to. */
function windowHost(sync: RoomSync, windows: Set<MessageWindow>): WindowHost {
  return {
    roomId: sync.id,
    history: (payload) => sync._patiently('message:history', payload),
    oldestSeq: () => sync.log._oldestSeq,
    merge: (messages, hasOlder) => sync._merge(messages, hasOlder),
    forget: (window) => windows.delete(window),
  };
}

/** Opens a window of `sync`'s room around `seq` (see `ChatRoom.around`), kept current while in `windows`. */
export async function openWindow(sync: RoomSync, windows: Set<MessageWindow>, seq: number, limit?: number): Promise<MessageWindow> {
  const window = new MessageWindow(windowHost(sync, windows), limit);
  windows.add(window);
  try {
    await window._load(seq);
  } catch (error) {
    window.close();
    throw error;
  }
  return window;
}

/**
 * A part of a room's history away from its newest messages: the messages around one (a search
 * result's), paged both ways (`older()`, `newer()`), in `seq` order without duplicates, kept
 * current (edits, deletes and reactions of its messages). Once a page of newer messages reaches
 * the messages the room holds, the window's are put into `room.messages` (one list with no hole)
 * and it is `merged`: show `room.messages` from then on. Get one from `room.around(seq)`.
 * @example
 * const window = await room.around(result.message.seq);
 * window.on('updated', draw);
 * await window.newer(); // scrolled down
 * if (window.merged) draw(room.messages);
 */
export class MessageWindow extends Subscribable<MessageWindowEvents> {
  /** The room the window is in. */
  readonly roomId: string;
  /** Older messages exist before the oldest one of the window. */
  hasOlder = false;
  /** Newer messages exist after the newest one of the window (until it is merged). */
  hasNewer = false;
  /** The window reached the room's messages: they are in `room.messages` now, and this window is done. */
  merged = false;
  readonly #host: WindowHost;
  readonly #log: MessageLog;
  readonly #limit: number;
  #closed = false;
  /** The page of newer messages under way: a second call waits for it. */
  #newer: Promise<void> | undefined;

  /** @internal Created by `room.around()`. */
  constructor(host: WindowHost, limit = WINDOW_PAGE) {
    super();
    this.#host = host;
    this.roomId = host.roomId;
    this.#log = new MessageLog(host.roomId);
    this.#limit = limit;
  }

  /** The messages of the window, ordered by seq. */
  get messages(): readonly Message[] {
    return this.#log.messages;
  }

  /** @internal Loads the messages around `seq`: `seq` and those just before it, and those just after. */
  async _load(seq: number): Promise<void> {
    const half = Math.max(1, Math.floor(this.#limit / 2));
    const { roomId } = this;
    const [before, after] = await Promise.all([
      this.#host.history({ roomId, before: seq + 1, limit: this.#limit - half }),
      this.#host.history({ roomId, after: seq, limit: half }),
    ]);
    this.hasOlder = before.hasMore;
    this.hasNewer = after.hasMore;
    this.#take([...before.messages, ...after.messages]);
  }

  /** Loads a page of messages older than the window's oldest (nothing when there are none, or once merged or closed). */
  async older(): Promise<void> {
    const oldest = this.#log._oldestSeq;
    if (!this.hasOlder || oldest === undefined || this.merged || this.#closed) return;
    const page = await this.#host.history({ roomId: this.roomId, before: oldest, limit: this.#limit });
    if (this.#closed || this.merged) return;
    this.hasOlder = page.hasMore;
    this.#take(page.messages);
  }

  /** Loads a page of messages newer than the window's newest (one at a time); when they reach the room's, the window is merged. */
  newer(): Promise<void> {
    this.#newer ??= this.#loadNewer().finally(() => (this.#newer = undefined));
    return this.#newer;
  }

  async #loadNewer(): Promise<void> {
    const newest = this.#log._newestSeq;
    if (!this.hasNewer || newest === undefined || this.merged || this.#closed) return;
    const page = await this.#host.history({ roomId: this.roomId, after: newest, limit: this.#limit });
    if (this.#closed || this.merged) return;
    this.hasNewer = page.hasMore;
    this.#take(page.messages);
  }

  /** The room no longer keeps this window current (another part of the history is shown). */
  close(): void {
    this.#closed = true;
    this.#host.forget(this);
    this.emitter.removeAllListeners();
  }

  /** @internal The run of messages it holds: a re-join of the room catches up their changes (see `SyncHost.heldApart`). */
  get _held(): SeqRange {
    return { minSeq: this.#log._oldestSeq, maxSeq: this.#log._newestSeq ?? -1 };
  }

  /** @internal Copies of messages the room received: the window's own take their newer changes. */
  _receive(messages: readonly Message[]): void {
    const held = messages.filter((m) => this.#log.get(m.id) !== undefined);
    if (held.length > 0 && this.#log.apply(held, CopyKind.CHANGE).updated.length > 0) this.emitter.emit('updated');
  }

  // A page in: the window meets the room's messages when its newest reaches the oldest the room
  // holds (pages are contiguous, so nothing between them is missing), or when nothing is newer.
  #take(messages: readonly Message[]): void {
    this.#log.apply(messages, CopyKind.PAGE);
    const oldest = this.#host.oldestSeq();
    const newest = this.#log._newestSeq;
    if (!this.hasNewer || (oldest !== undefined && newest !== undefined && newest >= oldest)) {
      this.merged = true;
      this.#host.merge(this.#log.messages, this.hasOlder);
      this.#host.forget(this);
    }
    this.emitter.emit('updated');
  }
}
