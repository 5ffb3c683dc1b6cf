// What the large seeded PostgreSQL benches share: a pool on a schema of their own, a mark of what was
// seeded (and with which schema version, so a seed made before a migration is made again), timing.
import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** A pool whose search_path is `schema` (created if missing). */
export async function benchPool(base, schema, max = 4) {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return new pg.Pool({ connectionString: url.href, max });
}

/** Whether the schema holds a finished seed of this size made at the store's current schema version. */
export async function seedIsCurrent(pool, { messages }) {
  const { rows } = await pool
    .query(
      `SELECT s.messages, s.schema_version, (SELECT max(version) FROM chat_migrations) AS current
     FROM pg_tables t, LATERAL (SELECT * FROM bench_seed LIMIT 1) s WHERE t.tablename = 'bench_seed' AND t.schemaname = current_schema()`,
    )
    .catch(() => ({ rows: [] }));
  const row = rows[0];
  return row !== undefined && Number(row.messages) === messages && row.schema_version === row.current;
}

/** Records a finished seed (after its commit: a seed that died halfway is made again). */
export async function markSeeded(client, { messages }) {
  await client.query('CREATE TABLE IF NOT EXISTS bench_seed (messages bigint NOT NULL, schema_version int NOT NULL)');
  await client.query('DELETE FROM bench_seed');
  await client.query('INSERT INTO bench_seed SELECT $1, max(version) FROM chat_migrations', [messages]);
}

/** Drops the seed's schema (a seed of millions of rows is gigabytes of a shared machine's disk). */
export async function dropSeed(pool, schema) {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/**
 * Runs `fill` with the table's secondary indexes dropped, then builds them again from their own
 * definitions (whatever the migrations made): building an index once over millions of rows is
 * many times quicker than growing it row by row. Constraint indexes (primary key, unique) stay.
 * Not in a transaction, and `fill` should not open one: a long transaction holds a snapshot that
 * every CREATE INDEX CONCURRENTLY in the database waits for (other suites on a shared server).
 */
export async function withoutIndexes(client, table, fill) {
  const { rows } = await client.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = $1
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)`,
    [table],
  );
  for (const { indexname } of rows) await client.query(`DROP INDEX ${indexname}`);
  await fill();
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const { indexdef } of rows) await client.query(indexdef);
  await client.query('RESET maintenance_work_mem');
}

/**
 * A connection for a seed: each statement its own transaction (see `withoutIndexes`), commits not
 * waiting for the disk; `fn` should leave what it made whole or throw (the seed is marked done only after).
 */
export async function seeding(pool, fn) {
  const client = await pool.connect();
  try {
    await client.query('SET synchronous_commit = off');
    await fn(client);
  } finally {
    await client.query('RESET ALL').catch(() => undefined);
    client.release();
  }
}

/** Runs `fn` `count` times one after the other; the times in ms, sorted. */
export async function timeEach(count, fn) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

/** The p-th percentile (0-1) of sorted times. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
