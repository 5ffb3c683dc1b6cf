import type { Message, NotificationLevel, PublicRoom, RoomActivityEvent, RoomSummary } from '@chat/protocol';

/** What the list needs from a room joined by this client: the room keeps its counts itself. */
export interface JoinedRoomView {
  room: PublicRoom;
  /** The user's read mark as the room knows it. */
  readSeq: number;
  /** The newest loaded message. */
  lastMessage: Message | undefined;
  /** Messages of others in the room's log after the mark `seq`, as the room counts its unread. */
  _unreadAfter(seq: number): number;
  /** Your unread replies in the room's threads (`room.threadUnread`). */
  threadUnread: number;
  /**
   * Loaded messages after `seq` that mention the user; `undefined` when some messages after it
   * are not loaded (the count cannot be made from what the room holds).
   */
  _mentionsAfter(seq: number): number | undefined;
}

/** What the server last said about a room of the list: counts up to its last message then. */
interface Baseline {
  readSeq: number;
  _lastSeq: number;
  mentions: number;
}

interface Entry {
  summary: RoomSummary;
  baseline: Baseline | undefined;
  /** The stamp of the last live change (see `#stamp`): a list asked for before it is older. */
  _stamp: number;
  /** The mark at which the mentions could not be counted and a fresh list was asked for. */
  _unknownAt: number | undefined;
}

/** How the list reaches the server and the client's joined rooms. */
export interface ConversationListHooks {
  /** `conversations:list`. */
  fetch(): Promise<RoomSummary[]>;
  /** The joined room with this id, if this client has joined it. */
  joined(roomId: string): JoinedRoomView | undefined;
  /** The ids of the rooms this client has joined. */
  _joinedIds(): string[];
  /** The server's mark of a joined room is ahead of the room's (another device read it). */
  _readElsewhere(roomId: string, seq: number): void;
  /** The list changed (a new array; entries that changed are new objects). */
  changed(list: RoomSummary[]): void;
  /** A refresh the list started itself failed (not for a lost connection: the reconnect refreshes). */
  failed(error: unknown): void;
}

/**
 * The user's conversations, as the server counts them, kept live: `room:activity` for rooms not
 * joined here, and the joined rooms' own messages and read marks for the others. Newest activity
 * first. Nothing is kept until the first `load()`.
 */
export class ConversationList {
  #entries: Entry[] | undefined;
  /** Counts live changes and requests, so that an answer older than a live change does not undo it. */
  #stamp = 0;
  /** The stamp of the newest request whose answer was applied. */
  #applied = -1;
  #refreshing = false;
  #refreshAgain = false;

  readonly #hooks: ConversationListHooks;

  constructor(hooks: ConversationListHooks) {
    this.#hooks = hooks;
  }

  /** The list now, or `undefined` before the first `load()`. */
  get list(): RoomSummary[] | undefined {
    return this.#entries?.map((e) => e.summary);
  }

  /** Asks the server for the list, applies it and keeps it live from then on. */
  async load(): Promise<RoomSummary[]> {
    const stamp = ++this.#stamp;
    const rows = await this.#hooks.fetch();
    if (stamp > this.#applied) this.#apply(rows, stamp);
    return this.list ?? [];
  }

  /** The connection came back: what happened meanwhile came as no event. */
  reconnected(): void {
    if (this.#entries) this.#refresh();
  }

  /** `room:activity` from the server: a room not joined on this connection changed. */
  activity(event: RoomActivityEvent): void {
    const entries = this.#entries;
    if (!entries) return;
    const index = entries.findIndex((e) => e.summary.room.id === event.roomId);
    const entry = entries[index];
    // A room the list does not hold yet (a new conversation): only the server can describe it.
    if (!entry) return this.#refresh();
    const lastSeq = event.lastMessage?.seq ?? entry.baseline?._lastSeq ?? 0;
    const baseline: Baseline = { readSeq: event.readSeq, _lastSeq: lastSeq, mentions: event.mentions };
    const { threadUnread: _, ...rest } = entry.summary;
    const summary: RoomSummary = { ...rest, unread: event.unread, mentions: event.mentions, readSeq: event.readSeq };
    if (event.threadUnread !== undefined) summary.threadUnread = event.threadUnread;
    if (event.lastMessage) summary.lastMessage = event.lastMessage;
    const next: Entry = { summary, baseline, _stamp: ++this.#stamp, _unknownAt: undefined };
    this.#put(index, next, isNewer(event.lastMessage, entry.summary.lastMessage));
    this.#fromRoom(event.roomId);
    this.#emit();
  }

  /** A joined room's messages or read mark changed (or it was just joined). */
  _roomChanged(roomId: string): void {
    if (this.#entries && this.#fromRoom(roomId)) this.#emit();
  }

  /** The room is no conversation of the user any more (ended, or the user was removed). */
  forget(roomId: string): void {
    const entries = this.#entries;
    const index = entries?.findIndex((e) => e.summary.room.id === roomId) ?? -1;
    if (!entries || index < 0) return;
    entries.splice(index, 1);
    this.#emit();
  }

  /** The user chose a notification level for a room. */
  notifications(roomId: string, level: NotificationLevel): void {
    const entries = this.#entries;
    const index = entries?.findIndex((e) => e.summary.room.id === roomId) ?? -1;
    const entry = entries?.[index];
    if (!entry || entry.summary.notifications === level) return;
    this.#put(index, { ...entry, summary: { ...entry.summary, notifications: level }, _stamp: ++this.#stamp }, false);
    this.#emit();
  }

  // A fresh list, asked by the list itself (a room it does not know, counts it cannot make):
  // one request at a time, and one more after it for whatever asked meanwhile.
  #refresh(): void {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = true;
    this.load()
      .catch((error: unknown) => this.#hooks.failed(error))
      .finally(() => {
        this.#refreshing = false;
        if (!this.#refreshAgain) return;
        this.#refreshAgain = false;
        this.#refresh();
      });
  }

  #apply(rows: RoomSummary[], stamp: number): void {
    this.#applied = stamp;
    const before = new Map(this.#entries?.map((e) => [e.summary.room.id, e]));
    this.#entries = rows.map((summary) => {
      const live = before.get(summary.room.id);
      // Changed by `room:activity` after this list was asked for: the live copy is the newer.
      // (A joined room's entry changes with the room; the server's counts are its baseline.)
      if (live && live._stamp > stamp && !this.#hooks.joined(summary.room.id)) return live;
      const lastSeq = summary.lastMessage?.seq ?? 0;
      return {
        summary,
        baseline: { readSeq: summary.readSeq, _lastSeq: lastSeq, mentions: summary.mentions },
        _stamp: stamp,
        _unknownAt: undefined,
      };
    });
    const behind = this.#entries.filter((entry) => {
      const view = this.#hooks.joined(entry.summary.room.id);
      return view !== undefined && entry.summary.readSeq > view.readSeq;
    });
    // Joined rooms count for themselves (and one joined after the list was read is added).
    for (const roomId of this.#hooks._joinedIds()) this.#fromRoom(roomId);
    this.#emit();
    // Told last: a room told changes, and comes back here through `roomChanged`.
    for (const { summary } of behind) this.#hooks._readElsewhere(summary.room.id, summary.readSeq);
  }

  // Recomputes a joined room's entry from the room; true when the entry changed.
  #fromRoom(roomId: string): boolean {
    const entries = this.#entries;
    const view = this.#hooks.joined(roomId);
    if (!entries || !view) return false;
    const index = entries.findIndex((e) => e.summary.room.id === roomId);
    const entry = entries[index];
    // Not a conversation: ephemeral rooms keep no members, ended ones are left out.
    if (!entry && (view.room.options.ephemeral === true || view.room.endedAt !== undefined)) return false;
    const { summary, mentions } = countJoined(view, entry?.summary, entry?.baseline);
    const unknownAt = mentions === undefined ? summary.readSeq : undefined;
    // The messages after the mark are not all loaded and the mark moved past what the server
    // counted: ask the server (once per mark).
    const ask = unknownAt !== undefined && entry?._unknownAt !== unknownAt;
    let changed = false;
    if (entry && sameSummary(entry.summary, summary)) {
      entry._unknownAt = unknownAt;
    } else {
      this.#put(
        index,
        { summary, baseline: entry?.baseline, _stamp: ++this.#stamp, _unknownAt: unknownAt },
        !entry || isNewer(summary.lastMessage, entry.summary.lastMessage),
      );
      changed = true;
    }
    if (ask) this.#refresh();
    return changed;
  }

  // Replaces (or adds, at index -1) an entry; a room with newer activity goes to the top, after
  // the rooms the server would list before it (a last message of the same millisecond and a room
  // id before it), so a reload lists them in the same order.
  #put(index: number, entry: Entry, toTop: boolean): void {
    const entries = this.#entries as Entry[];
    if (index >= 0 && !toTop) {
      entries[index] = entry;
      return;
    }
    if (index >= 0) entries.splice(index, 1);
    let at = 0;
    while (listedBefore(entries[at], entry.summary)) at++;
    entries.splice(at, 0, entry);
  }

  #emit(): void {
    const list = this.list;
    if (list) this.#hooks.changed(list);
  }
}

/**
 * A joined room's summary: unread as the room counts it (its log after the mark), mentions from
 * the loaded messages or from what the server counted (`mentions` is `undefined` when neither can
 * tell; the summary then keeps the old count).
 */
function countJoined(
  view: JoinedRoomView,
  known: RoomSummary | undefined,
  baseline: Baseline | undefined,
): { summary: RoomSummary; mentions: number | undefined } {
  const readSeq = Math.max(view.readSeq, baseline?.readSeq ?? 0, known?.readSeq ?? 0);
  const serverLast = baseline?._lastSeq ?? 0;
  const loadedLast = view.lastMessage?.seq ?? 0;
  const lastMessage = loadedLast >= (known?.lastMessage?.seq ?? 0) ? view.lastMessage : known?.lastMessage;
  let mentions: number | undefined;
  if (baseline && readSeq === baseline.readSeq) {
    const since = view._mentionsAfter(baseline._lastSeq);
    if (since !== undefined) mentions = baseline.mentions + since;
  }
  if (mentions === undefined && loadedLast >= serverLast) mentions = view._mentionsAfter(readSeq);
  const summary: RoomSummary = {
    room: view.room,
    unread: view._unreadAfter(readSeq),
    mentions: mentions ?? known?.mentions ?? 0,
    readSeq,
    notifications: known?.notifications ?? 'all',
  };
  if (view.threadUnread > 0) summary.threadUnread = view.threadUnread;
  if (lastMessage) summary.lastMessage = lastMessage;
  // Only the server lists who is in a direct room (the room's present members are not all of them).
  if (known?.members) summary.members = known.members;
  return { summary, mentions };
}

/** Whether the server lists `a` before `b` though `b` is the newer news: last messages of the same millisecond, ties by room id. */
function listedBefore(a: Entry | undefined, b: RoomSummary): boolean {
  const at = a?.summary.lastMessage?.createdAt;
  return at !== undefined && at === b.lastMessage?.createdAt && (a as Entry).summary.room.id < b.room.id;
}

function isNewer(message: Message | undefined, than: Message | undefined): boolean {
  return message !== undefined && message.seq > (than?.seq ?? 0);
}

function sameSummary(a: RoomSummary, b: RoomSummary): boolean {
  return (
    a.room === b.room &&
    a.unread === b.unread &&
    a.threadUnread === b.threadUnread &&
    a.mentions === b.mentions &&
    a.readSeq === b.readSeq &&
    a.lastMessage === b.lastMessage &&
    a.notifications === b.notifications &&
    a.members === b.members
  );
}
