// The search index's pending list (migration 21), merged into the index by the store every
// 250 ms while this process stores messages, so that appends do not merge it.
import type pg from 'pg';

/**
 * Merges the list; answers how many of its pages were freed (0: it was empty). Bounded on
 * PostgreSQL's side: a merge waits behind another (autovacuum's, another process's) or behind a
 * lock on the index (REINDEX) at most 1 s, and runs at most 5 s (a merge cut short keeps what it
 * merged; the next one goes on). One implicit transaction, so the `SET LOCAL`s end with it.
 */
const MERGE_SQL = `SET LOCAL lock_timeout = '1s'; SET LOCAL statement_timeout = '5s';
  SELECT gin_clean_pending_list('chat_messages_search'::regclass) AS pages`;

/**
 * Errors that no later merge would escape: the store's role does not own the index (42501), or the
 * index is not GIN (42809: a database may hold another of that name). A missing index (42P01: a
 * process that started while another was still building it) is tried again, as any other failure.
 */
const FOR_GOOD = new Set(['42501', '42809']);
/** After a failure, the next merge waits this long, doubled at each failure in a row... */
const FIRST_BACKOFF_MS = 1_000;
/** ...up to this. */
const LONGEST_BACKOFF_MS = 60_000;

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
 * process stored or edited messages since the last merge; one merge at a time, on a connection of
 * the store's pool. An append then only adds its words to the list; an append merges it only when
 * this falls behind (PostgreSQL's own rule at `gin_pending_list_limit`), and one that finds a
 * merge under way leaves it to that (it does not wait). A failed merge is tried again after a
 * backoff; one that cannot ever succeed (see {@link SearchMergeState.stoppedBy}) stops merging,
 * with a process warning (`CHAT_SEARCH_MERGE_STOPPED`): appends and vacuum then merge the list, as
 * PostgreSQL does by itself. With the list off, a merge is a read of the index's first page.
 */
export class PendingListMerger implements SearchMergeState {
  #appended = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  #stoppedBy: string | undefined;
  #merges = 0;
  #pagesMerged = 0;
  #backoffMs = 0;
  #notBefore = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
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
  readonly appended = (): void => {
    this.#appended = true;
  };

  /** Starts the ticks (once the schema is migrated). */
  start(): void {
    if (this.#timer !== undefined || this.#stoppedBy !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    // The timer alone never keeps a process alive.
    this.#timer.unref();
  }

  #tick(): void {
    if (!this.#appended || this.#running || this.now() < this.#notBefore) return;
    this.#appended = false;
    this.#running = this.merge().finally(() => (this.#running = undefined));
  }

  /** One merge now; never rejects (a failure is retried after a backoff, or ends merging: see `stoppedBy`). */
  async merge(): Promise<void> {
    if (this.pool.ending) return this.#stop('the pool was ended');
    try {
      const results = (await this.pool.query(MERGE_SQL)) as unknown as pg.QueryResult<{ pages: string }>[];
      this.#merges++;
      this.#pagesMerged += Number(results.at(-1)?.rows[0]?.pages ?? 0);
      this.#backoffMs = 0;
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (typeof code === 'string' && FOR_GOOD.has(code)) return this.#stopForGood(`${code}: ${String(message)}`);
      // Asked again once the backoff has passed: what it was to merge is still in the list.
      this.#appended = true;
      this.#backoffMs = Math.min(LONGEST_BACKOFF_MS, this.#backoffMs === 0 ? FIRST_BACKOFF_MS : this.#backoffMs * 2);
      this.#notBefore = this.now() + this.#backoffMs;
    }
  }

  #stopForGood(reason: string): void {
    this.#stop(reason);
    process.emitWarning(
      `The chat's PostgresStore stopped merging the search index's pending list (${reason}). ` +
        'Appends now merge it themselves, a batch every 1,600 messages or so waiting for that. ' +
        'Run the chat as the owner of chat_messages_search (or a member of its role), or turn the list off: ' +
        'see "The search index merged off the send path" in docs/storage.md.',
      { code: 'CHAT_SEARCH_MERGE_STOPPED' },
    );
  }

  #stop(reason: string): void {
    this.#stoppedBy = reason;
    clearInterval(this.#timer);
  }

  /** Stops the ticks; resolves once a merge under way has ended (within its 5 s bound). */
  async close(): Promise<void> {
    this.#stop(this.#stoppedBy ?? 'closed');
    await this.#running;
  }
}
