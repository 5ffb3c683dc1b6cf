// The search index's pending list (migration 21), merged into the index by the store every
// 250 ms while this process stores messages, so that no append's statement merges it.
import type pg from 'pg';

/** Merges the list; answers how many of its pages were freed (0: it was empty). */
const MERGE_SQL = `SELECT gin_clean_pending_list('chat_messages_search'::regclass) AS pages`;

/**
 * Errors that no later merge would escape: the store's role does not own the index (42501), the
 * index is not GIN (42809: a database may hold another of that name), or there is none (42P01).
 */
const FOR_GOOD = new Set(['42501', '42809', '42P01']);

/** How the store's merges of the search index's pending list go (`PostgresStore.searchMerge`; docs/storage.md). */
export interface SearchMergeState {
  /** Merges that succeeded. */
  readonly merges: number;
  /** Pages of the list those merges moved into the index (0 while the list stays empty, or is off). */
  readonly pagesMerged: number;
  /** Why merging stopped for good (PostgreSQL's code and words, or `closed`), if it did. */
  readonly stoppedBy: string | undefined;
}

/**
 * Merges the search index's pending list (`gin_clean_pending_list`) every `intervalMs`, when this
 * process appended since the last merge; one merge at a time, on a connection of the store's pool.
 * An append then only adds its words to the list; an append merges it only when this falls
 * behind (PostgreSQL's own rule at `gin_pending_list_limit`), and one that finds a merge under way
 * leaves it to that. A failed merge is tried again at the next tick; one that cannot ever succeed
 * (see {@link SearchMergeState.stoppedBy}) stops merging: appends and vacuum then merge the
 * list, as PostgreSQL does by itself. With the list off (before migration 21 ran), a merge is a
 * read of the index's first page.
 */
export class PendingListMerger implements SearchMergeState {
  #appended = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  #stoppedBy: string | undefined;
  #merges = 0;
  #pagesMerged = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly intervalMs = 250,
  ) {}

  get stoppedBy(): string | undefined {
    return this.#stoppedBy;
  }

  get merges(): number {
    return this.#merges;
  }

  get pagesMerged(): number {
    return this.#pagesMerged;
  }

  /** This process stored or edited messages: the next tick merges. */
  appended(): void {
    this.#appended = true;
  }

  /** Starts the ticks (once the schema is migrated). */
  start(): void {
    if (this.#timer !== undefined || this.#stoppedBy !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    // The timer alone never keeps a process alive.
    this.#timer.unref();
  }

  #tick(): void {
    if (!this.#appended || this.#running) return;
    this.#appended = false;
    this.#running = this.merge().finally(() => (this.#running = undefined));
  }

  /** One merge now; never rejects (a failure is retried at the next tick, or ends merging: see `stoppedBy`). */
  async merge(): Promise<void> {
    if (this.pool.ending) return this.#stop('the pool was ended');
    try {
      const { rows } = await this.pool.query<{ pages: string }>({ name: 'chat_merge_search_list', text: MERGE_SQL });
      this.#merges++;
      this.#pagesMerged += Number(rows[0]?.pages ?? 0);
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && FOR_GOOD.has(code)) this.#stop(`${code}: ${String(message)}`);
      else this.#appended = true;
    }
  }

  #stop(reason: string): void {
    this.#stoppedBy = reason;
    clearInterval(this.#timer);
  }

  /** Stops the ticks; resolves once a merge under way has ended. */
  async close(): Promise<void> {
    this.#stop(this.#stoppedBy ?? 'closed');
    await this.#running;
  }
}
