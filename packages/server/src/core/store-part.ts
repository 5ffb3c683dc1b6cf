// A plugin's store part: what it keeps, on each kind of store (docs/plugins.md).

/** A SQL connection as a plugin's PostgreSQL part uses it (the store's `pg` pool). */
export interface PluginSql {
  query<Row extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/** One schema change of a plugin's PostgreSQL part: applied once per database, in `version` order. */
export interface PluginMigration {
  version: number;
  sql: string;
}

/**
 * A store part: what a plugin keeps, on each store. The server's store provides it
 * (`ChatStore.part`): MemoryStore calls `memory`, PostgresStore runs `migrations` then calls
 * `postgres`, a host's own store returns its implementation. A store that provides none is
 * refused when the server is made, naming the part.
 */
export interface StorePart<Part> {
  /** The part's name (`HandStore`): refusals name it, a host's store recognizes it, PostgreSQL records its migrations under it. */
  readonly name: string;
  /** The part on the in-memory store. */
  memory?(): Part;
  /** The part on PostgreSQL; its tables are made by `migrations` before its first query. */
  postgres?(sql: PluginSql): Part;
  /** The part's schema on PostgreSQL, in `version` order; a released one never changes. */
  readonly migrations?: readonly PluginMigration[];
}
