import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/** The database the PostgreSQL suites use, or undefined (they skip). */
const DATABASE_URL = process.env['DATABASE_URL'];

let told = false;
/** True when the PostgreSQL suites must skip; says once how to run them. */
export function skipWithoutPostgres(): boolean {
  if (DATABASE_URL) return false;
  if (!told) {
    told = true;
    console.log(
      'PostgreSQL suites skipped: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (a server with trust auth) to run them.',
    );
  }
  return true;
}

/** A schema of its own for one test file: a connection string and pool that use it, dropped afterwards. */
export interface TestSchema {
  name: string;
  connectionString: string;
  pool: () => pg.Pool;
}

/** Creates a fresh schema before the file's tests and drops it after them. */
export function useTestSchema(): TestSchema {
  const name = `chat_test_${randomBytes(5).toString('hex')}`;
  const pools: pg.Pool[] = [];
  const url = new URL(DATABASE_URL ?? 'postgres://invalid');
  url.searchParams.set('options', `-c search_path=${name}`);
  const schema: TestSchema = {
    name,
    connectionString: url.href,
    pool: () => {
      const pool = new pg.Pool({ connectionString: url.href, max: 10 });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
  };
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${name}`);
    await admin.end();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await admin.end();
  });
  return schema;
}

/**
 * The database as a release that had run `migrations` (and no later one) left it: the caller
 * writes that release's rows through the client it gets, then ends it, and upgrades. A migration
 * built outside the transaction (the search index) finds the search configuration such a release
 * prepared first (language `simple`).
 */
export async function databaseAfter(
  connectionString: string,
  migrations: ReadonlyArray<{ version: number; name: string; sql: string; small?: { sql: string } }>,
): Promise<pg.Client> {
  const old = new pg.Client({ connectionString });
  await old.connect();
  await old.query(`CREATE TABLE chat_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  for (const migration of migrations) {
    // The search configuration the store prepares before the migrations that index with it
    // (search-sql.ts, for searchLanguage 'simple', without unaccent).
    const config = await old.query(
      `SELECT 1 FROM pg_ts_config WHERE cfgname = 'chat_search' AND cfgnamespace = current_schema()::regnamespace`,
    );
    if (migration.sql.includes("'chat_search'") && config.rowCount === 0) {
      await old.query(`CREATE TEXT SEARCH CONFIGURATION chat_search (COPY = pg_catalog.simple);
        COMMENT ON TEXT SEARCH CONFIGURATION chat_search IS 'chat search: simple'`);
    }
    // An index built CONCURRENTLY on a large table is built in a transaction on the few rows here.
    await old.query(migration.small?.sql ?? migration.sql);
    await old.query('INSERT INTO chat_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
  }
  return old;
}

/**
 * Every row of each table, in a stable order: what a migration must leave as it was. With `like`
 * (an earlier call's answer), only the columns those rows had: a later migration may add columns.
 */
export async function rowsOf(
  db: Pick<pg.ClientBase, 'query'>,
  tables: readonly string[],
  like?: Record<string, unknown[]>,
): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    const found = (await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
    const shape = like?.[table]?.[0] as Record<string, unknown> | undefined;
    rows[table] = shape ? found.map((row) => Object.fromEntries(Object.keys(shape).map((key) => [key, row[key]]))) : found;
  }
  return rows;
}
