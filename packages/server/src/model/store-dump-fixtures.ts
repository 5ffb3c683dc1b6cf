// Everything a run's store holds, as text: every row of every table of a PostgresStore's schema,
// or every string a MemoryStore reaches (private fields, maps and bytes included). An erased
// person's name and words must be in none of it.
import { expect } from 'vitest';
import type { ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { reachableText } from '../../../../test-support/reachable-text.js';
import { holding } from './message-shape-fixtures.js';

/** The store's whole content as text, one entry per table (PostgreSQL) or one for the memory store. */
async function dumpStore(store: ChatStore): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  if (store instanceof PostgresStore) {
    const { rows } = await store.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of rows) dump.set(table_name, JSON.stringify((await store.pool.query(`SELECT * FROM ${table_name}`)).rows));
    return dump;
  }
  dump.set('memory store', (await reachableText(store)).join('\n'));
  return dump;
}

/** Fails naming each table (or the memory store) that still holds one of `strings`. */
export async function expectStoreHoldsNone(store: ChatStore, strings: readonly string[], label: string): Promise<void> {
  const found: string[] = [];
  for (const [where, text] of await dumpStore(store)) {
    for (const s of holding(text, strings)) found.push(`${where}: ${s}`);
  }
  expect(found, `${label}: the store still holds`).toEqual([]);
}
