import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatRoom, RoomSummary } from '@chat/client';
import { ChatUnreadEvent, type RoomUnread } from '../events.js';

/** What the controller asks of the room view. */
export interface ReadView {
  /** The room shown now. */
  room(): ChatRoom | undefined;
  /** The log, and whether it is scrolled to its newest messages. */
  log(): HTMLElement | null;
  _atBottom(): boolean;
  /** The widget's own room (the `room` attribute), joined. */
  home(): ChatRoom | undefined;
  /** The user's conversations, with the server's counts. */
  conversations(): readonly RoomSummary[];
}

/** Messages after `seq` in `room` (loaded) that mention you. */
function mentionsAfter(room: ChatRoom, seq: number): number {
  const self = room.self?.id;
  return room.messages.filter((m) => m.seq > seq && m.deletedAt === undefined && self !== undefined && m.mentions?.includes(self)).length;
}

/**
 * Read state of the room shown: it is marked read (`room.markRead()`, on every device) while
 * its newest messages are on screen (the page visible, the log in view and scrolled to the
 * bottom), and `chat-unread` fires whenever the server's counts of the widget's rooms change.
 */
export class ReadController implements ReactiveController {
  readonly #host: ReactiveControllerHost & EventTarget;
  readonly #view: ReadView;
  /** The log is in the viewport (an element hidden by the page, or scrolled away, is not read). */
  #inView = true;
  #observer: IntersectionObserver | undefined;
  #observed: Element | undefined;
  #last = '[]';
  /** The highest seq asked to be marked read, per room: counted as read while the mark is on its way. */
  readonly #asked = new Map<string, number>();

  constructor(host: ReactiveControllerHost & EventTarget, view: ReadView) {
    this.#host = host;
    this.#view = view;
    host.addController(this);
  }

  /** The shown room's newest messages are being seen. */
  get seeing(): boolean {
    return !document.hidden && this.#inView && this.#view._atBottom();
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.sync);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.sync);
    this.#observer?.disconnect();
    this.#observed = undefined;
  }

  hostUpdated(): void {
    const log = this.#view.log();
    if (log && log !== this.#observed && typeof IntersectionObserver !== 'undefined') {
      this.#observer ??= new IntersectionObserver((entries) => {
        this.#inView = entries.at(-1)?.isIntersecting ?? true;
        this.sync();
      });
      if (this.#observed) this.#observer.unobserve(this.#observed);
      this.#observer.observe(log);
      this.#observed = log;
    }
    this.sync();
  }

  /** The read mark of `room`, counting a mark on its way. */
  readSeq(room: ChatRoom): number {
    return Math.max(room.readSeq, this.#asked.get(room.id) ?? 0);
  }

  /** Messages of others after {@link readSeq} (what `room.unreadCount` will say once the mark is stored). */
  unread(room: ChatRoom): number {
    const asked = this.#asked.get(room.id) ?? 0;
    if (asked <= room.readSeq) return room.unreadCount;
    // A mark on its way, at a loaded message: the loaded ones after it are what stays unread
    // (the room's log, where replies only in a thread are not).
    let after = 0;
    for (let i = room.messages.length - 1; i >= 0 && (room.messages[i]?.seq ?? 0) > asked; i--) after++;
    return Math.min(room.unreadCount, after);
  }

  /**
   * The server's counts of the widget's room (from the joined room: exact once joined) and of the
   * user's private conversations (from the conversations list), the widget's room first; the room
   * on screen counts 0 while it is being seen (it is being marked read).
   */
  counts(): RoomUnread[] {
    const shown = this.#view.room();
    const seeing = this.seeing;
    const home = this.#view.home();
    const rooms: RoomUnread[] = [];
    const add = (roomId: string, unread: number, mentions: number, direct: boolean) =>
      rooms.push(shown?.id === roomId && seeing ? { roomId, unread: 0, mentions: 0, direct } : { roomId, unread, mentions, direct });
    if (home) add(home.id, this.unread(home), mentionsAfter(home, this.readSeq(home)), home.room?.options.direct === true);
    for (const s of this.#view.conversations()) {
      if (s.room.options.direct && s.room.id !== home?.id) add(s.room.id, s.unread, s.mentions, true);
    }
    return rooms;
  }

  /** Marks the shown room read if it is being seen, and fires `chat-unread` if the counts changed. */
  sync = (): void => {
    const room = this.#view.room();
    const newest = room?.messages.at(-1)?.seq ?? 0;
    if (room && this.seeing && this.unread(room) > 0) {
      this.#asked.set(room.id, newest);
      // Not stored (offline, say): asked again on the next change.
      void room.markRead(newest).catch(() => this.#asked.delete(room.id));
    }
    const rooms = this.counts();
    const count = rooms.reduce((n, r) => n + r.unread, 0);
    const mentions = rooms.reduce((n, r) => n + r.mentions, 0);
    const key = JSON.stringify(rooms.filter((r) => r.unread > 0));
    if (key === this.#last) return;
    this.#last = key;
    this.#host.dispatchEvent(new ChatUnreadEvent({ count, mentions, rooms }));
  };
}
