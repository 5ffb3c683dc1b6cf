import type { Message } from '@chat/protocol';
import type pg from 'pg';
import { appendKey } from './append-batch-sql.js';
import { messageColumns, toMessage, type MessageRow } from './message-sql.js';

// Appends that failed past a deadline. PostgreSQL may have stored them after all (the batch
// reached it late and committed, with nobody to answer), so they are remembered here, by key
// (room and clientId), with the id each would have stored:
//
// - a resend of one to this process that finds that very row is answered as the first store, not
//   a duplicate, so the server announces it then (`storedLate`);
// - and, while someone listens (`onStoredLate`: the chat server), this process looks for them
//   itself: a while after the failure, then less and less often, for up to {@link HORIZON_MS}.
//   Each one found is handed to the listeners once: the server announces it. So a message stored
//   late is announced once even when its resend went to another process of a cluster (which
//   answers it as a duplicate, as it must), or never came.

/** Failed appends remembered; the oldest are forgotten first (a resend of one then reads as a duplicate). */
const KEPT = 10_000;
/** The first look, after a failure. Each look that leaves some unfound waits twice as long for the next... */
const FIRST_LOOK_MS = 1_000;
/** ...up to this. */
const LONGEST_WAIT_MS = 60_000;
/** Failed appends are looked for this long after their failure (a resend on this process still finds one after). */
const HORIZON_MS = 10 * 60_000;

/** See the comment above: the appends of this process that failed past a deadline. */
export class LateAppends {
  readonly #late = new Map<string, { id: string; at: number }>();
  readonly #listeners = new Set<(message: Message) => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wait = FIRST_LOOK_MS;
  #closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  /** The append of `id` under (`roomId`, `clientId`) failed past a deadline: it may be stored after all. */
  failed(roomId: string, clientId: string, id: string): void {
    const key = appendKey(roomId, clientId);
    this.#late.delete(key);
    this.#late.set(key, { id, at: this.now() });
    if (this.#late.size > KEPT) this.#late.delete(this.#late.keys().next().value as string);
    this.#wait = FIRST_LOOK_MS;
    this.#schedule();
  }

  /** How many failed appends are remembered. */
  get size(): number {
    return this.#late.size;
  }

  /** Whether the row `id` under `key` is what an append failed past a deadline stored after all (once). */
  storedLate(key: string, id: string): boolean {
    const late = this.#late.get(key);
    if (late === undefined) return false;
    // Answered either way from now on: stored late (this row), or stored by this append or another.
    this.#late.delete(key);
    return late.id === id;
  }

  /** Calls `listener` with each failed append found stored, once; returns the function that stops it. */
  onStoredLate(listener: (message: Message) => void): () => void {
    this.#listeners.add(listener);
    this.#schedule();
    return () => void this.#listeners.delete(listener);
  }

  /** Stops looking (the store closes). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The ids still looked for: failed within the horizon. */
  #sought(): string[] {
    const since = this.now() - HORIZON_MS;
    return [...this.#late.values()].filter((late) => late.at >= since).map((late) => late.id);
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined || this.#listeners.size === 0 || this.#sought().length === 0) return;
    this.#timer = setTimeout(() => void this.#look(), this.#wait);
    // Never what keeps a process alive.
    this.#timer.unref();
  }

  async #look(): Promise<void> {
    const ids = this.#sought();
    try {
      if (ids.length === 0) return;
      const { rows } = await this.pool.query<MessageRow>(
        `SELECT ${messageColumns('m')} FROM chat_messages m WHERE m.id = ANY($1::text[]) ORDER BY m.room_id, m.seq`,
        [ids],
      );
      for (const row of rows) {
        // Answered meanwhile (a resend here found it, and was announced): not again.
        if (!this.storedLate(appendKey(row.room_id, row.client_id), row.id)) continue;
        const message = toMessage(row);
        for (const listener of this.#listeners) listener(message);
      }
    } catch {
      // Still unreachable: looked for again, later.
    } finally {
      this.#timer = undefined;
      this.#wait = Math.min(this.#wait * 2, LONGEST_WAIT_MS);
      this.#schedule();
    }
  }
}
