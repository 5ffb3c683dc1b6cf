import { READS_IN_JOIN_LIMIT, type Message, type ReadState, type UserRef } from '@chat/protocol';

/**
 * The least time between two `read:mark`s of one room, in ms. A reader of a busy room marks
 * almost every message; one mark per second (the latest seq, always sent in the end) keeps the
 * receipts and the other devices' unread counts about a second behind at most.
 */
export const MARK_INTERVAL_MS = 1000;

/**
 * The read marks of one joined room: the user's own (`readSeq`) and, in rooms small enough for
 * read receipts, the other members'. Marks only move forward, as on the server.
 *
 * The server sends receipts (`read`) only while the room has at most `ID_LIMITS.readsInJoin`
 * stored members. Everyone this room has seen as a member counts towards that: once more than
 * the limit have been seen (or are present), the others' marks could no longer be kept up to
 * date, so they are dropped (`readBy` is empty) until the next join answer says otherwise.
 */
export class RoomReads {
  #readSeq = 0;
  readonly #others = new Map<string, number>();
  /** The highest seq asked for by `mark()` (sent or about to be). */
  #target = 0;
  #pump: Promise<void> | undefined;
  /** When the last `read:mark` was sent (`Date.now()`). */
  #sentAt = -Infinity;
  /** Everyone the room has shown (members, senders): read marks carry ids only. */
  readonly #people = new Map<string, UserRef>();
  /** Stored members the room has seen (the join's marks, members present): at least this many. */
  readonly #members = new Set<string>();
  /** The room is small enough for receipts, as far as this room can tell. */
  #receipts = true;
  /**
   * The newest seq sent by senders not (yet) seen as members: a message can come before the
   * presence that shows its sender joined. Applied if they turn out to be members.
   */
  readonly #sentByOthers = new Map<string, number>();

  readonly #send: (seq: number) => Promise<number>;
  readonly #marked: (seq: number) => void;
  readonly #intervalMs: number;

  /**
   * @param send Sends `read:mark` and resolves with the server's mark after it.
   * @param marked The user's own mark moved by `mark()`.
   * @param intervalMs The least time between two marks sent ({@link MARK_INTERVAL_MS}).
   */
  constructor(send: (seq: number) => Promise<number>, marked: (seq: number) => void, intervalMs: number = MARK_INTERVAL_MS) {
    this.#send = send;
    this.#marked = marked;
    this.#intervalMs = intervalMs;
  }

  /** Whether the others' marks are kept (the room has at most `ID_LIMITS.readsInJoin` members as far as it is known). */
  get receipts(): boolean {
    return this.#receipts;
  }

  /** The seq the user has read up to (0: nothing). */
  get readSeq(): number {
    return this.#readSeq;
  }

  /**
   * A join's answer: the server's marks replace what was known (a history that started over
   * starts them over too), and who the room's members are is counted again from it.
   */
  joined(readSeq: number, reads: readonly ReadState[], selfId: string): void {
    this.#readSeq = readSeq;
    if (!this.#pump) this.#target = readSeq;
    this.#others.clear();
    this.#members.clear();
    this.#sentByOthers.clear();
    this.#receipts = true;
    this.member(selfId);
    for (const read of reads) {
      this.#others.set(read.userId, read.seq);
      this.#members.add(read.userId);
    }
    this.#check();
  }

  /**
   * A stored member the room shows (present now; every join of a stored room makes one). True
   * when their mark moved (they had sent a message before the room knew them as a member).
   */
  member(userId: string): boolean {
    if (!this.#receipts || this.#members.has(userId)) return false;
    this.#members.add(userId);
    this.#check();
    const sent = this.#sentByOthers.get(userId);
    if (sent === undefined) return false;
    this.#sentByOthers.delete(userId);
    return this.#receipts && this.moved(userId, sent, undefined);
  }

  /** How many members are present now: more than the limit means no receipts whoever they are. */
  present(count: number): void {
    if (this.#receipts && count > READS_IN_JOIN_LIMIT) this._noReceipts();
  }

  #check(): void {
    if (this.#members.size > READS_IN_JOIN_LIMIT) this._noReceipts();
  }

  /** The room is too big for receipts: the server sends no `read`, so the marks held would only grow old. */
  _noReceipts(): void {
    this.#receipts = false;
    this.#others.clear();
    this.#members.clear();
    this.#sentByOthers.clear();
  }

  /**
   * Someone's mark moved (a `read` event, or a message they sent: the server marks a sender's
   * own message read). True when a mark this room knows changed.
   */
  moved(userId: string, seq: number, selfId: string | undefined): boolean {
    if (userId === selfId) {
      if (seq <= this.#readSeq) return false;
      this.#readSeq = seq;
      return true;
    }
    if (!this.#receipts) return false;
    const known = this.#others.get(userId) ?? 0;
    if (seq <= known) return false;
    this.#others.set(userId, seq);
    this.member(userId);
    return true;
  }

  /**
   * A message was stored: its sender has read up to it. Only members are moved, those with a
   * known mark or seen in the room (a bot that is no member of the room keeps none).
   */
  sent(message: Message, selfId: string | undefined): boolean {
    const id = message.user.id;
    if (id !== selfId && !this.#others.has(id) && !this.#members.has(id)) {
      if (this.#receipts && message.seq > (this.#sentByOthers.get(id) ?? 0)) this.#sentByOthers.set(id, message.seq);
      return false;
    }
    return this.moved(id, message.seq, selfId);
  }

  /** Remembers who a user is (a member, a sender), to name readers who have gone. */
  know(user: UserRef): void {
    const known = this.#people.get(user.id);
    if (known && known.name === user.name && known.avatarUrl === user.avatarUrl) return;
    this.#people.set(
      user.id,
      user.avatarUrl === undefined ? { id: user.id, name: user.name } : { id: user.id, name: user.name, avatarUrl: user.avatarUrl },
    );
  }

  /**
   * The other members who have read `message` (its sender left out), as this room knows them;
   * a reader the room never saw is named by their id.
   */
  readBy(message: Message): UserRef[] {
    const readers: UserRef[] = [];
    for (const [userId, mark] of this.#others) {
      if (mark < message.seq || userId === message.user.id) continue;
      readers.push(this.#people.get(userId) ?? { id: userId, name: userId });
    }
    return readers;
  }

  /**
   * Moves the user's mark to `seq` (nothing when it is there already). Marks asked while one is
   * on the way, or within `intervalMs` of the last one sent, are sent together, once, with the
   * highest seq (a quiet room's mark goes at once). Resolves with the mark after.
   */
  async mark(seq: number): Promise<number> {
    if (seq <= this.#readSeq) return this.#readSeq;
    if (seq > this.#target) this.#target = seq;
    while (this.#target > this.#readSeq) {
      this.#pump ??= this.#run().finally(() => {
        this.#pump = undefined;
      });
      await this.#pump;
    }
    return this.#readSeq;
  }

  async #run(): Promise<void> {
    try {
      while (this.#target > this.#readSeq) {
        const wait = this.#sentAt + this.#intervalMs - Date.now();
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          // Marked on another device meanwhile, as far as this one.
          if (this.#target <= this.#readSeq) break;
        }
        const target = this.#target;
        this.#sentAt = Date.now();
        const seq = await this.#send(target);
        if (seq > this.#readSeq) {
          this.#readSeq = seq;
          this.#marked(seq);
        }
        // The server's answer stands for this target: beyond the last message there is nothing
        // to mark (it clamps), so asking again would change nothing.
        if (this.#target === target) this.#target = this.#readSeq;
      }
    } catch (error) {
      // Not stored: a later mark asks again.
      this.#target = this.#readSeq;
      throw error;
    }
  }
}

/**
 * Messages among `messages` after `readSeq` that mention `userId` (deleted ones keep no
 * mentions), as the server counts them.
 */
export function mentionsAfter(messages: readonly Message[], readSeq: number, userId: string): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as Message;
    if (message.seq <= readSeq) break;
    if (message.deletedAt === undefined && message.mentions?.includes(userId)) count++;
  }
  return count;
}
