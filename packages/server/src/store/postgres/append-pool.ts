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
//
// Every connection the store makes also has JIT compilation off (`jit`, PostgreSQL 11+). The
// store's statements run in milliseconds, but the planner's cost estimate of some grows with the
// data (a user's conversations when they are in thousands of rooms) past `jit_above_cost`, and
// PostgreSQL then compiles the statement for each run: measured at 72 ms of compiling for a 14 ms
// query (500 conversations of a user in 5,000 of 10,000 rooms: p50 94 to 145 ms with JIT, 25 ms
// without; docs/storage.md, "JIT compilation").

const GENERIC_PLANS = 'SET plan_cache_mode = force_generic_plan';
/** What every connection the store makes sets first. */
export const NO_JIT = 'SET jit = off';
const UNDEFINED_SETTING = '42704';

/** A pg.Client class that runs `settings` (SET statements) on each connection before it is lent. */
export function clientWith(settings: readonly string[]): typeof pg.Client {
  return class SettingClient extends pg.Client {
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
          // A PostgreSQL without such a setting (42704: plan_cache_mode before 12, jit before 11) works as it always did.
          for (const setting of settings) {
            await this.query(setting).catch((error: unknown) => {
              if ((error as { code?: unknown }).code !== UNDEFINED_SETTING) throw error;
            });
          }
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
  };
}

/**
 * A pool of `max` connections to `connectionString` on which named statements use their generic
 * plan, with the store's deadlines (a batch past its query deadline fails every append in it).
 */
export function appendPool(connectionString: string, max: number, deadlines: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, ...deadlines, Client: clientWith([GENERIC_PLANS, NO_JIT]) });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
