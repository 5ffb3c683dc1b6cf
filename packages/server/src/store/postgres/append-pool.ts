import pg from 'pg';

// The connections group commit sends its batches on, when the store makes its own pool.
//
// The batch is one named statement (append-batch-sql.ts). PostgreSQL plans a named statement with
// its parameters for its first five executions, then keeps the generic plan only if that looks
// no dearer than those. While the tables are small (a new database, the first rooms) the generic
// plan looks dearer, so every execution is planned afresh: measured at about 2.5 ms of
// PostgreSQL's CPU per batch, more than running it (docs/storage.md, "Group commit"). On these
// connections named statements use their generic plan from the start. The store's other queries
// keep PostgreSQL's choice (search needs plans made for its words), so this is a pool apart.

const GENERIC_PLANS = 'SET plan_cache_mode = force_generic_plan';
const UNDEFINED_SETTING = '42704';

/** A client that sets {@link GENERIC_PLANS} on its connection before it is lent. */
class AppendClient extends pg.Client {
  override connect(): Promise<pg.Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, client: pg.Client) => void)): void;
  override connect(callback?: ((err: Error) => void) | ((err: null, client: pg.Client) => void)): Promise<pg.Client> | undefined {
    // The pool listens for this client's errors only once connect() calls back. PostgreSQL's
    // goodbye (a restart, pg_terminate_backend) may come before that, in the same read as the
    // end of the setup: pg emits it as `error`, which with nobody listening ends the process.
    let lost: Error | undefined;
    const onError = (error: Error): void => {
      lost ??= error;
    };
    this.on('error', onError);
    const ready = super
      .connect()
      .then(async () => {
        // PostgreSQL before 12 has no such setting (42704): it plans as it always did there.
        await this.query(GENERIC_PLANS).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== UNDEFINED_SETTING) throw error;
        });
        // Dropped meanwhile: refused to the pool, which would lend it broken.
        if (lost) throw lost;
        return this;
      })
      .catch((error: unknown) => {
        // Not lent: the pool forgets it, so it is closed here (a failed SET leaves it open). An error
        // of its socket while it closes has a listener for good: nobody else will ever listen.
        this.on('error', () => undefined);
        this.end().catch(() => undefined);
        throw error;
      })
      // Removed just before the pool's callback (no I/O can come between): it listens from then on.
      .finally(() => this.removeListener('error', onError));
    if (!callback) return ready;
    const done = callback as (err: Error | null, client?: pg.Client) => void;
    ready.then(
      (client) => done(null, client),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
    return undefined;
  }
}

/**
 * A pool of `max` connections to `connectionString` on which named statements use their generic
 * plan, with the store's deadlines (a batch past its query deadline fails every append in it).
 */
export function appendPool(connectionString: string, max: number, deadlines: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, ...deadlines, Client: AppendClient });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
