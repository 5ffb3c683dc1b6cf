// A storm of changes to a few messages coalesced, for plugins whose messages carry counts (the
// votes of a poll, the upvotes of a question): a change marks its message, and every tick (4 a
// second by default) each marked message is set once from the store's exact counts. However many
// changes come in a second, its room gets a few `message:updated` frames, each with the counts of
// all the changes stored by then; the last one has them all (see PollBoard.refresh and
// QuestionBoard.refresh for several processes).

/** What the tally asks for each marked message once per tick (`PollBoard.refresh`, `QuestionBoard.refresh`). */
export type MessageRefresh = (roomId: string, messageId: string) => Promise<void>;

/** The marked messages of one server, refreshed at most `perSecond` times a second each. */
export class MessageTally {
  #changed = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly refresh: MessageRefresh,
    private readonly report: (error: unknown) => void,
    private readonly perSecond: number,
  ) {}

  /** A message's counts or state changed: it is set on the next tick. */
  mark(roomId: string, messageId: string): void {
    this.#changed.set(messageId, roomId);
  }

  /** Starts ticking. */
  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), 1000 / this.perSecond);
    this.#timer.unref();
  }

  /** Stops ticking and waits for the tick under way; the messages marked since are refreshed now. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.tick();
  }

  /**
   * One tick: every message marked since the last one, refreshed once. A tick still running (a slow
   * store) makes this one wait its turn: the messages marked meanwhile go in the next.
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
