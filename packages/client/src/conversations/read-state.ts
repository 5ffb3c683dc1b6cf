import type { Message, ReadState, UserRef } from '@chat/protocol';

/**
 * The read marks of one joined room: the user's own (`readSeq`) and, in rooms small enough for
 * read receipts, the other members'. Marks only move forward, as on the server.
 */
export class RoomReads {
  #readSeq = 0;
  readonly #others = new Map<string, number>();
  /** The highest seq asked for by `mark()` (sent or about to be). */
  #target = 0;
  #pump: Promise<void> | undefined;
  /** Everyone the room has shown (members, senders): read marks carry ids only. */
  readonly #people = new Map<string, UserRef>();

  /**
   * @param send Sends `read:mark` and resolves with the server's mark after it.
   * @param moved The user's own mark moved by `mark()`.
   */
  constructor(
    private readonly send: (seq: number) => Promise<number>,
    private readonly marked: (seq: number) => void,
  ) {}

  /** The seq the user has read up to (0: nothing). */
  get readSeq(): number {
    return this.#readSeq;
  }

  /** A join's answer: the server's marks replace what was known (a history that started over starts them over too). */
  joined(readSeq: number, reads: readonly ReadState[]): void {
    this.#readSeq = readSeq;
    if (!this.#pump) this.#target = readSeq;
    this.#others.clear();
    for (const read of reads) this.#others.set(read.userId, read.seq);
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
    const known = this.#others.get(userId) ?? 0;
    if (seq <= known) return false;
    this.#others.set(userId, seq);
    return true;
  }

  /**
   * A message was stored: its sender has read up to it. Only members with a known mark are
   * moved (a bot that is no member of the room keeps none).
   */
  sent(message: Message, selfId: string | undefined): boolean {
    if (message.user.id !== selfId && !this.#others.has(message.user.id)) return false;
    return this.moved(message.user.id, message.seq, selfId);
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
   * on the way are sent together, once, with the highest seq. Resolves with the mark after.
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
        const target = this.#target;
        const seq = await this.send(target);
        if (seq > this.#readSeq) {
          this.#readSeq = seq;
          this.marked(seq);
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
