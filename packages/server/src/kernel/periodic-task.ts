// A task the server runs on its own timer (a plugin's `tools.repeat`: retention, the sweep of
// uploads never sent): first once the server is ready, then an interval after each run ends; on one
// process of a cluster at a time when the store can lock (`exclusive`, PostgreSQL's advisory lock), else here.
import type { ChatStoreCore } from '../core/store-core.js';

/** One run; `closing()` turns true once the server's close began: stop between two steps. */
export type PeriodicRun = (closing: () => boolean) => Promise<void>;

/** A task on the server's timer: started once, stopped on close, which waits for a run under way. */
export class PeriodicTask {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  readonly #store: () => Pick<ChatStoreCore, 'exclusive'>;
  readonly #lock: string;
  readonly #report: (error: unknown) => void;
  readonly #serverClosing: () => boolean;

  /**
   * @param lock - The name of the task's cluster-wide lock.
   * @param report - Where a failed run is said, in the caller's words (a storage that cannot be reached, or is busy): the next run tries again.
   * @param serverClosing - Whether the server's close has begun (before the task's own {@link close}).
   */
  constructor(store: () => Pick<ChatStoreCore, 'exclusive'>, lock: string, report: (error: unknown) => void, serverClosing: () => boolean) {
    this.#store = store;
    this.#lock = lock;
    this.#report = report;
    this.#serverClosing = serverClosing;
  }

  /** Runs `run` once `after` resolves (never if it rejects), then `intervalMs` after each run ends, until {@link close}. */
  start(intervalMs: number, run: PeriodicRun, after: Promise<unknown>): void {
    // From the moment `chat.close()` is called, not only once the task itself is closed.
    const closing = () => this.#closed || this.#serverClosing();
    const once = async (): Promise<void> => {
      if (closing()) return; // the timer came after the close began
      const store = this.#store();
      if (store.exclusive) await store.exclusive(this.#lock, () => run(closing));
      else await run(closing);
    };
    const schedule = (delay: number): void => {
      if (closing()) return;
      this.#timer = setTimeout(() => {
        this.#running = once()
          .catch((error: unknown) => this.#report(error))
          .finally(() => schedule(intervalMs));
      }, delay);
      // The timer alone never keeps a process alive.
      this.#timer.unref();
    };
    void after.then(
      () => schedule(0),
      () => undefined,
    );
  }

  /** Stops the timer, and waits for a run under way (which sees `closing()` true). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
