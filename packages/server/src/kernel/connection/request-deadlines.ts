interface Deadline {
  at: number;
  onLate: () => void;
  open: boolean;
}

/**
 * When each request in flight must be answered by, all with the same timeout: one timer for the
 * earliest instead of one per request. Arming and clearing a timer of its own cost a message
 * more of the time before its broadcast than its limit checks together (issue 15). With one
 * timeout for all, deadlines come in the order requests arrive, so the earliest open one is the
 * first in the queue; entries answered in time leave from the front as they are passed.
 */
export class RequestDeadlines {
  #queue: Deadline[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeoutMs: number,
    // Monotonic, as timers are: a wall clock set back must not hold an answer back.
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Calls `onLate` once the timeout has passed, unless the function returned is called first. */
  arm(onLate: () => void): () => void {
    const deadline: Deadline = { at: this.now() + this.timeoutMs, onLate, open: true };
    this.#queue.push(deadline);
    if (this.#timer === undefined) this.#wake(this.timeoutMs);
    return () => {
      if (!deadline.open) return;
      deadline.open = false;
      if (this.#queue[this.#head] === deadline) this.#passAnswered();
    };
  }

  readonly #expire = (): void => {
    this.#timer = undefined;
    const now = this.now();
    while (this.#head < this.#queue.length) {
      const first = this.#queue[this.#head] as Deadline;
      if (first.open && first.at > now) break;
      this.#head++;
      if (first.open) {
        first.open = false;
        first.onLate();
      }
    }
    this.#passAnswered();
    const next = this.#queue[this.#head];
    if (next) this.#wake(next.at - now);
  };

  // Drops the answered entries at the front, and the queue's spent start once it is most of it.
  #passAnswered(): void {
    while (this.#head < this.#queue.length && !(this.#queue[this.#head] as Deadline).open) this.#head++;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #wake(inMs: number): void {
    // Not what keeps a process running: its sockets are.
    this.#timer = setTimeout(this.#expire, Math.max(0, inMs));
    this.#timer.unref?.();
  }
}
