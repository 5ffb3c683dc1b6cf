// The stores a suite runs on: a MemoryStore always, a PostgresStore when PostgreSQL is up.
import type { ChatStore } from '@chat/server';
import { MemoryStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { skipWithoutPostgres, useTestSchema } from './postgres.js';

/** A name for `describe.each` and a maker of a fresh store (the test owns it: a restart may hand it on). */
export type StoreCase = [name: string, makeStore: () => ChatStore];

/**
 * `[['MemoryStore', ...], ['PostgresStore', ...]]`, the second on a schema of the file's own (made
 * before its tests, dropped after them) and only when PostgreSQL is there. Call it at a file's top level.
 */
export function bothStores(): StoreCase[] {
  const stores: StoreCase[] = [['MemoryStore', () => new MemoryStore()]];
  if (skipWithoutPostgres()) return stores;
  const schema = useTestSchema();
  stores.push(['PostgresStore', () => new PostgresStore({ pool: schema.pool() })]);
  return stores;
}
