import type { Message } from '@chat/protocol';

/** Where a copy of a message came from, which decides what {@link MessageLog.apply} does with it. */
export const CopyKind = {
  /** A live `message` event: added when the id is not held; never replaces a held copy. */
  NEW: 'new',
  /** A page (join, history, a send's ack): added when not held; replaces a held copy with a lower `rev`. */
  PAGE: 'page',
  /**
   * A change (`message:updated`, the ack of an edit, delete or reaction, a catch-up page):
   * replaces a held copy with a lower `rev`; added only when it falls after the oldest loaded
   * message (an older one is not loaded, and `history()` brings it in its current state).
   */
  CHANGE: 'change',
} as const;
export type CopyKind = (typeof CopyKind)[keyof typeof CopyKind];

/** What {@link MessageLog.apply} did. */
export interface ApplyResult {
  /** Messages the log did not hold, in the order given. */
  added: Message[];
  /** Held messages replaced by a newer copy (higher `rev`), in the order given. */
  updated: Message[];
}

/**
 * Whether a message belongs in a log: the room's main log (`thread` undefined) holds the messages
 * without `threadOf` and the replies sent `alsoInRoom`; a thread's log holds the replies of its parent.
 */
function inLog(message: Message, thread: string | undefined): boolean {
  return thread === undefined ? message.threadOf === undefined || message.alsoInRoom === true : message.threadOf === thread;
}

/**
 * The messages of one room (or of one thread of it) as loaded so far: ordered by seq, one copy per
 * id, each the newest seen (of two copies of a message, the higher `rev` wins), and the seq
 * watermark up to which nothing is missing.
 */
export class MessageLog {
  readonly #roomId: string;
  readonly #thread: string | undefined;
  readonly #messages: Message[] = [];
  readonly #byId = new Map<string, Message>();
  readonly #seqs = new Set<number>();
  /** Seqs of the room's messages that belong to another log (thread replies): not missing here. */
  readonly #elsewhere = new Set<number>();
  /** Every message with seq <= watermark that exists after the first loaded one has been received. */
  #watermark = 0;
  /**
   * Joined an ephemeral room with nothing to show: where its seqs stand is unknown until the
   * first message, and what came before the join is not missing, just not ours.
   */
  #baselineUnknown = false;
  /** An ephemeral room has no threads: a seq a page lacks is a message lost, not a reply. */
  #ephemeral = false;

  /** @param thread - The parent's id, for the log of its thread. */
  constructor(roomId: string, thread?: string) {
    this.#roomId = roomId;
    this.#thread = thread;
  }

  /** Loaded messages, ordered by seq (the same array, kept up to date). */
  get messages(): readonly Message[] {
    return this.#messages;
  }
  /** The seq up to which no message is missing (see the class doc). */
  get _watermark(): number {
    return this.#watermark;
  }
  /** The seq of the oldest loaded message. */
  get _oldestSeq(): number | undefined {
    return this.#messages[0]?.seq;
  }
  /** The seq of the newest loaded message. */
  get _newestSeq(): number | undefined {
    return this.#messages.at(-1)?.seq;
  }

  /** The held copy of a message. */
  get(id: string): Message | undefined {
    return this.#byId.get(id);
  }

  /** Some held message has this seq. */
  hasSeq(seq: number): boolean {
    return this.#seqs.has(seq);
  }

  /**
   * Starts from a first page (a first join): the watermark is its last seq. In an ephemeral room
   * joined with nothing to show, the first message received sets it instead, counting those
   * received live while the join was under way (held already).
   */
  begin(page: readonly Message[], ephemeral: boolean): void {
    this.#ephemeral = ephemeral;
    const firstHeld = this._oldestSeq;
    this.#baselineUnknown = ephemeral && page.length === 0 && firstHeld === undefined;
    this.#watermark = ephemeral && page.length === 0 && firstHeld !== undefined ? firstHeld - 1 : (page.at(-1)?.seq ?? 0);
    this.#advance();
  }

  /** Applies copies of messages by their kind (see {@link CopyKind}); copies of other rooms are ignored. */
  apply(messages: readonly Message[], kind: CopyKind): ApplyResult {
    const result: ApplyResult = { added: [], updated: [] };
    for (const message of messages) {
      if (message.roomId !== this.#roomId) continue;
      if (!inLog(message, this.#thread)) {
        if (!this.#byId.has(message.id)) this.#elsewhere.add(message.seq);
        continue;
      }
      const held = this.#byId.get(message.id);
      if (held) {
        if (kind !== CopyKind.NEW && message.rev > held.rev) {
          this.#replace(held, message);
          result.updated.push(message);
        }
        continue;
      }
      if (kind === CopyKind.CHANGE && !this.#covers(message.seq)) continue;
      this.#insert(message);
      result.added.push(message);
    }
    if (this.#baselineUnknown && result.added.length > 0) {
      this.#baselineUnknown = false;
      this.#watermark = Math.min(...result.added.map((m) => m.seq)) - 1;
    }
    this.#advance();
    return result;
  }

  /**
   * A page asked for `after` a seq (a re-join, paging forward, a hole filled) holds every message
   * of this log up to its last one, `last`: the seqs in between that it lacks are other logs'
   * (thread replies), not missing. (Not in an ephemeral room, which has no threads: there they are lost.)
   */
  _covered(after: number, last: number | undefined): void {
    if (this.#ephemeral || last === undefined || after > this.#watermark || last <= this.#watermark) return;
    this.#watermark = last;
    this.#advance();
  }

  /**
   * Gives up on the messages missing right after the watermark (the server cannot fill the hole):
   * the watermark moves to just before the next held seq. Returns that seq, or undefined when
   * nothing is held beyond the hole.
   */
  _skipHole(): number | undefined {
    const next = this.#messages.find((m) => m.seq > this.#watermark)?.seq;
    if (next === undefined) return undefined;
    this.#watermark = next - 1;
    this.#advance();
    return next;
  }

  /**
   * The server says the room's history now starts at `seq` (`historyStart`: older messages were
   * removed by retention): what came before it is not missing, so the watermark steps over it.
   */
  _startAt(seq = 0): void {
    if (seq > this.#watermark + 1) {
      this.#watermark = seq - 1;
      this.#baselineUnknown = false;
      this.#advance();
    }
  }

  /** Forgets every message (the history they belong to is gone). */
  clear(): void {
    this.#messages.length = 0;
    this.#byId.clear();
    this.#seqs.clear();
    this.#elsewhere.clear();
    this.#watermark = 0;
    this.#baselineUnknown = false;
  }

  // A change to a message not held is taken in only where the log is complete: after its
  // oldest message (a message sent while its broadcast was on the way), never a seq held by
  // another message (another history), never before the baseline of an ephemeral room.
  #covers(seq: number): boolean {
    if (this.#seqs.has(seq)) return false;
    const oldest = this._oldestSeq;
    if (oldest !== undefined) return seq > oldest;
    return !this.#baselineUnknown && seq > this.#watermark;
  }

  // Every seq held right after the watermark (here, or in another log) moves it on.
  #advance(): void {
    while (this.#seqs.has(this.#watermark + 1) || this.#elsewhere.has(this.#watermark + 1)) this.#watermark++;
  }

  #insert(message: Message): void {
    this.#byId.set(message.id, message);
    this.#seqs.add(message.seq);
    const last = this.#messages.at(-1);
    if (!last || last.seq < message.seq) this.#messages.push(message);
    else this.#messages.splice(insertionIndex(this.#messages, message.seq), 0, message);
  }

  #replace(held: Message, message: Message): void {
    this.#byId.set(message.id, message);
    let index = insertionIndex(this.#messages, held.seq);
    while (this.#messages[index] !== held && index < this.#messages.length) index++;
    if (this.#messages[index] === held) this.#messages[index] = message;
  }
}

function insertionIndex(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
