import type pg from 'pg';
import type { IndexStep, Migration } from './migration.js';
import { MIGRATIONS } from './migrations.js';
import { prepareSearch, type SearchSetup } from './search-sql.js';
import { checkOut } from './transaction.js';

// Any constants; all processes that migrate the same schema take the same locks, and stores in
// other schemas of the database (another deployment, a test file beside this one) other ones:
// each lock is (class, hash of the schema's name).
const MIGRATION_LOCK = 724_431_092;
const BUILD_LOCK = 724_431_093;
const IN_SCHEMA = 'hashtext(current_schema())';

/**
 * Applies the migrations this database has not had yet: first, in one transaction under an
 * advisory lock, every ordinary one, the search configuration (`prepareSearch`) and the
 * `outsideTransaction` ones whose table is still small (their `small` form); then, once that is
 * committed, each other `outsideTransaction` one on its own (an index built CONCURRENTLY), which
 * is recorded only when its index is valid. Safe when several processes start at once.
 */
export async function migrate(pool: pg.Pool, searchLanguage: string): Promise<SearchSetup> {
  const { client, release } = await checkOut(pool);
  try {
    let search: SearchSetup;
    let applied: Set<number>;
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock($1, ${IN_SCHEMA})`, [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS chat_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      applied = new Set((await client.query<{ version: number }>('SELECT version FROM chat_migrations')).rows.map((r) => r.version));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version) || migration.outsideTransaction) continue;
        await client.query(migration.sql);
        await record(client, migration);
      }
      search = await prepareSearch(client, searchLanguage);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version) || !migration.outsideTransaction || !(await builtWhileSmall(client, migration))) continue;
        await record(client, migration);
        applied.add(migration.version);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    const outside = MIGRATIONS.filter((m) => m.outsideTransaction && !applied.has(m.version));
    if (outside.length > 0) await buildOutside(client, outside);
    return search;
  } finally {
    release();
  }
}

/**
 * One process builds at a time, and the others do not wait for it: CREATE INDEX CONCURRENTLY
 * waits for every transaction with an older snapshot, a process waiting for a lock holds one, and
 * two builds on one table wait for each other: each would deadlock. A process that finds the
 * build lock taken starts without the index (search works, slower) and the builder records it.
 */
async function buildOutside(client: pg.PoolClient, migrations: Migration[]): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1, ${IN_SCHEMA}) AS locked`, [BUILD_LOCK]);
  if (rows[0]?.locked !== true) return;
  try {
    for (const migration of migrations) {
      // A change left for the next start (its `done` says not yet: a lock it could not take in
      // time) holds back the ones after it, which may change the same thing: run out of order,
      // the earlier one would undo the later one at the next start (versions 20 and 21).
      if (!(await applyOutside(client, migration)) && migration.done !== undefined) break;
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock($1, ${IN_SCHEMA})`, [BUILD_LOCK]);
  }
}

/** Runs one outside-transaction migration; true when it is recorded (done). */
async function applyOutside(client: pg.PoolClient, migration: Migration): Promise<boolean> {
  let valid = true;
  for (const step of stepsOf(migration)) {
    if (step.index !== undefined) {
      const state = await indexState(client, step.index);
      if (state === 'valid') continue;
      if (state === 'dead') await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${step.index}`);
    }
    await client.query(step.sql);
    if (step.index !== undefined && (await indexState(client, step.index)) !== 'valid') valid = false;
  }
  if (migration.done !== undefined && (await client.query<{ done: boolean }>(migration.done)).rows[0]?.done !== true) valid = false;
  if (valid) await record(client, migration);
  return valid;
}

/** The statements of an outside-transaction migration: its `indexes`, or itself as one. */
function stepsOf(migration: Migration): ReadonlyArray<Partial<IndexStep> & { sql: string }> {
  return migration.indexes ?? [migration];
}

const SMALL_TABLE = 10_000;

/**
 * Builds inside the transaction each index of an outside-transaction migration whose table is
 * small (its `small` form), and says whether every one is there now: then it is recorded here.
 */
async function builtWhileSmall(client: pg.ClientBase, migration: Migration): Promise<boolean> {
  let done = true;
  for (const step of stepsOf(migration)) {
    if (step.index !== undefined && (await indexState(client, step.index)) === 'valid') continue;
    if (await isSmall(client, step)) await client.query((step.small as { sql: string }).sql);
    else done = false;
  }
  return done;
}

// Whether an index may be built inside the transaction: its table is small and the index not there yet.
async function isSmall(client: pg.ClientBase, step: Partial<IndexStep>): Promise<boolean> {
  if (!step.small || (step.index !== undefined && (await indexState(client, step.index)) !== 'absent')) return false;
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${step.small.table} LIMIT ${SMALL_TABLE}) AS t`,
  );
  return (rows[0]?.n ?? SMALL_TABLE) < SMALL_TABLE;
}

async function record(client: pg.ClientBase, migration: Migration): Promise<void> {
  await client.query('INSERT INTO chat_migrations (version, name) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING', [
    migration.version,
    migration.name,
  ]);
}

/** Whether an index is valid, being built, absent, or dead (invalid and nobody building it: a build that failed). */
async function indexState(client: pg.ClientBase, name: string): Promise<'valid' | 'building' | 'absent' | 'dead'> {
  const { rows } = await client.query<{ valid: boolean; building: boolean }>(
    `SELECT i.indisvalid AS valid, EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid) AS building
     FROM pg_index i WHERE i.indexrelid = to_regclass($1)`,
    [name],
  );
  const row = rows[0];
  if (!row) return 'absent';
  return row.valid ? 'valid' : row.building ? 'building' : 'dead';
}
