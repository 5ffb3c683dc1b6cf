// The pushes waiting to be sent, in one lane per user, taken in turn: a user whose devices'
// push services are slow (or never answer) holds at most `perUser` requests, and everyone
// else's pushes go past theirs.

/** What a lane needs of a push: whose device it goes to. */
interface Laned {
  subscription: { userId: string };
}

/** A queue of pushes that is fair between users. */
export class PushLanes<T extends Laned> {
  /** The pushes waiting, per user; the map's order is the users' turn. */
  readonly #lanes = new Map<string, T[]>();
  /** Requests under way, per user. */
  readonly #busy = new Map<string, number>();
  #size = 0;

  constructor(private readonly perUser: number) {}

  /** Pushes waiting (not those under way). */
  get size(): number {
    return this.#size;
  }

  /** Adds a push at the end of its user's lane. */
  push(job: T): void {
    const { userId } = job.subscription;
    const lane = this.#lanes.get(userId);
    if (lane) lane.push(job);
    else this.#lanes.set(userId, [job]);
    this.#size++;
  }

  /** The next push of the next user in turn with fewer than `perUser` under way, counted as under way; none if no one may. */
  take(): T | undefined {
    for (const [userId, lane] of this.#lanes) {
      const busy = this.#busy.get(userId) ?? 0;
      if (busy >= this.perUser) continue;
      const job = lane.shift() as T;
      this.#lanes.delete(userId);
      if (lane.length > 0) this.#lanes.set(userId, lane); // to the back of the turn
      this.#busy.set(userId, busy + 1);
      this.#size--;
      return job;
    }
    return undefined;
  }

  /** A push taken has ended (sent, failed, or put back for later). */
  done(job: T): void {
    const { userId } = job.subscription;
    const busy = (this.#busy.get(userId) ?? 1) - 1;
    if (busy > 0) this.#busy.set(userId, busy);
    else this.#busy.delete(userId);
  }
}
