// Reads that all go to one place (the online users' slot of a Redis Cluster), joined: while one
// read is on its way, the reads asked meanwhile wait and go together as the next one. An idle
// server reads at once; a busy one sends one read per round trip instead of one per message, so
// that the shard holding that slot does not carry a command for every message of every room.

/** Most ids one joined read asks for (a Lua script's arguments stay well under `unpack`'s limit). */
export const MOST_IDS_PER_READ = 1000;

interface Waiter {
  ids: readonly string[];
  resolve: (values: ReadonlyMap<string, number>) => void;
  reject: (error: unknown) => void;
}

/** Joins concurrent reads of a number per id into as few calls of `read` as the round trips allow. */
export class JoinedReads {
  #waiting: Waiter[] = [];
  #busy = false;

  /** `read` answers one number per id, in the ids' order. */
  constructor(private readonly read: (ids: string[]) => Promise<unknown[]>) {}

  /** The number of each id, read now or with the reads asked while another is on its way. */
  get(ids: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ ids, resolve, reject });
      if (!this.#busy) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#waiting.length > 0) await this.#readSome();
    } finally {
      this.#busy = false;
    }
  }

  /** One call for the waiters at the front, as many as fit in {@link MOST_IDS_PER_READ} ids (at least one). */
  async #readSome(): Promise<void> {
    const ids = new Set<string>();
    let taken = 0;
    for (const waiter of this.#waiting) {
      if (taken > 0 && ids.size + waiter.ids.length > MOST_IDS_PER_READ) break;
      for (const id of waiter.ids) ids.add(id);
      taken += 1;
    }
    const batch = this.#waiting.splice(0, taken);
    const asked = [...ids];
    try {
      const answer = await this.read(asked);
      const values = new Map(asked.map((id, i) => [id, Number(answer[i] ?? 0)]));
      for (const waiter of batch) waiter.resolve(values);
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }
}
