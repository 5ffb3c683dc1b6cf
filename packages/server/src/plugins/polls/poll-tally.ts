// A vote storm coalesced: a vote marks its poll changed, and every tick (4 a second by default)
// each changed poll's message is set once from the store's exact counts. However many votes come
// in a second, a poll's room gets a few `message:updated` frames, each with the counts of all the
// votes stored by then; the last one has them all (see PollBoard.refresh for several processes).

/** What the tally asks for each changed poll once per tick (PollBoard.refresh). */
export type PollRefresh = (roomId: string, messageId: string) => Promise<void>;

/** The changed polls of one server, refreshed at most `perSecond` times a second each. */
export class PollTally {
  #changed = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly refresh: PollRefresh,
    private readonly report: (error: unknown) => void,
    private readonly perSecond: number,
  ) {}

  /** A poll's counts or state changed: its message is set on the next tick. */
  mark(roomId: string, messageId: string): void {
    this.#changed.set(messageId, roomId);
  }

  /** Starts ticking. */
  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), 1000 / this.perSecond);
    this.#timer.unref();
  }

  /** Stops ticking and waits for the tick under way; the polls marked since are refreshed now. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.tick();
  }

  /**
   * One tick: every poll marked since the last one, refreshed once. A tick still running (a slow
   * store) makes this one wait its turn: the polls marked meanwhile go in the next.
   */
  tick(): Promise<void> {
    if (this.#running || this.#changed.size === 0) return this.#running ?? Promise.resolve();
    const due = [...this.#changed];
    this.#changed = new Map();
    const running = Promise.all(
      due.map(([messageId, roomId]) => this.refresh(roomId, messageId).catch((error: unknown) => this.report(error))),
    ).then(() => undefined);
    this.#running = running;
    void running.finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    return running;
  }
}
