import { builtInError } from '@chat/protocol';
import type pg from 'pg';
import type { PluginMigration, PluginSql, StorePart } from '../../core/store-part.js';
import { inTransaction } from './transaction.js';

// Which migration of which plugin part a database has had. Apart from the store's own
// `chat_migrations`: a plugin's versions are its own, and a plugin added later adds rows here.
const PARTS_TABLE = `CREATE TABLE IF NOT EXISTS chat_plugin_migrations (
  part text NOT NULL,
  version integer NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (part, version)
)`;

/**
 * Plugins' store parts on PostgreSQL: each part's SQL goes through the store's pool, after its
 * migrations (applied once per database, under a lock, so that processes starting
 * together apply each once). One part per name for the store's life.
 */
export class PostgresParts {
  readonly #parts = new Map<string, unknown>();

  constructor(private readonly pool: pg.Pool) {}

  part<Part>(spec: StorePart<Part>): Part | undefined {
    if (this.#parts.has(spec.name)) return this.#parts.get(spec.name) as Part;
    if (!spec.postgres) return undefined;
    const migrations = checkedMigrations(spec.name, spec.migrations ?? []);
    let migrated: Promise<void> | undefined;
    const pool = this.pool;
    const sql: PluginSql = {
      async query<Row extends object>(text: string, params?: unknown[]) {
        // A failed migration is tried again by the next query, not remembered as failed for ever.
        migrated ??= migrate(pool, spec.name, migrations).catch((error: unknown) => {
          migrated = undefined;
          throw error;
        });
        await migrated;
        const result = await pool.query<Row & pg.QueryResultRow>(text, params);
        return { rows: result.rows, rowCount: result.rowCount };
      },
    };
    const part = spec.postgres(sql);
    this.#parts.set(spec.name, part);
    return part;
  }
}

function checkedMigrations(name: string, migrations: readonly PluginMigration[]): PluginMigration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && sorted[i - 1]?.version === m.version)) {
      throw new TypeError(`The store part "${name}" has a migration with version ${m.version}: versions are distinct integers from 1.`);
    }
  });
  return sorted;
}

async function migrate(pool: pg.Pool, name: string, migrations: readonly PluginMigration[]): Promise<void> {
  if (migrations.length === 0) return;
  try {
    await inTransaction(pool, async (client) => {
      // One lock for every part of the schema (the table is made by whichever comes first): two
      // processes starting at once apply each migration once.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('chat-plugin-parts:' || current_schema()))");
      await client.query(PARTS_TABLE);
      const done = await client.query<{ version: number }>('SELECT version FROM chat_plugin_migrations WHERE part = $1', [name]);
      const applied = new Set(done.rows.map((row) => row.version));
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO chat_plugin_migrations (part, version) VALUES ($1, $2)', [name, migration.version]);
      }
    });
  } catch (error) {
    throw builtInError('INTERNAL', `The store part "${name}" could not set up its tables in PostgreSQL.`, { cause: error });
  }
}
