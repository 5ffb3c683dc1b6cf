/** One schema change; `version`s only grow and a released one never changes. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Runs after the other migrations' transaction has committed, outside any transaction (as
   * `CREATE INDEX CONCURRENTLY` must), without the migration lock: its SQL must be one statement
   * that two processes may run at once and that may run again after a crash (IF NOT EXISTS).
   */
  outsideTransaction?: true;
  /** With `outsideTransaction`: the index it builds. An invalid one (a build that died) is dropped and built again. */
  index?: string;
  /**
   * With `outsideTransaction`: the same change when `table` has fewer than 10,000 rows, run inside
   * the transaction. A plain CREATE INDEX on so few rows holds its lock for milliseconds, and waits
   * for no other transaction of the database, as CONCURRENTLY does (a new database gets it at once).
   */
  small?: { table: string; sql: string };
  /**
   * With `outsideTransaction`, instead of `sql`, `index` and `small`: several indexes, each built
   * as one such migration would be (its own statement, its own `small` form). The migration is
   * recorded once every one of them is valid. `sql` is then their `small` forms together (the
   * schema such a release leaves), which the runner does not run.
   */
  indexes?: readonly IndexStep[];
  /**
   * With `outsideTransaction`: a query answering one row `{ done: boolean }`, asked after `sql`
   * ran. Not done (a lock it could not take in time): not recorded, and run again at the next start,
   * and the outside-transaction migrations after it wait for that start too.
   */
  done?: string;
}

/** One index of a migration with `indexes`: built as an `outsideTransaction` migration's `sql`, `index` and `small`. */
export interface IndexStep {
  /** The index it builds; an invalid one (a build that died) is dropped and built again. */
  index: string;
  /** `CREATE INDEX CONCURRENTLY IF NOT EXISTS ...`, run outside any transaction. */
  sql: string;
  /** The same index built inside the migration transaction while `table` has fewer than 10,000 rows. */
  small: { table: string; sql: string };
}
