// Proof that a marker reached no stored row: every table of a PostgresStore's schema, or the
// whole state of a MemoryStore (every object reachable from it, private fields and bytes included).
import { expect } from 'vitest';
import type { ChatServer } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { reachableText } from './reachable-text.js';

/**
 * Fails when `marker` is in any row of the chat's PostgreSQL schema, or anywhere in the memory
 * store's state (and what it exports of `userIds`). `options.found` are strings that must be there
 * (a plain room's marker, a message's id): proof that what was looked through holds what was stored.
 */
export async function expectStoredNowhere(
  chat: ChatServer,
  marker: string,
  userIds: readonly string[],
  options: { found?: string | readonly string[] } = {},
): Promise<void> {
  let everything = '';
  if (chat.store instanceof PostgresStore) {
    for (const [table, dump] of await tableDumps(chat.store)) {
      expect(dump, table).not.toContain(marker);
      everything += dump;
    }
  } else {
    // Not only what the store's API returns: everything it holds, which no export may leave out.
    const held = await reachableText(chat.store);
    expect(held.filter((text) => text.includes(marker))).toEqual([]);
    everything += held.join('\n');
    for (const userId of userIds) {
      let exported = '';
      for await (const chunk of chat.exportUser(userId)) exported += chunk;
      expect(exported, userId).not.toContain(marker);
      everything += exported;
    }
  }
  for (const found of typeof options.found === 'string' ? [options.found] : (options.found ?? [])) expect(everything).toContain(found);
}

/** Every row of every table in the store's schema (the pool's `current_schema()`), as JSON per table. */
export async function tableDumps(store: PostgresStore): Promise<Array<[table: string, rows: string]>> {
  const { rows } = await store.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
  );
  expect(rows.length).toBeGreaterThan(10);
  const dumps: Array<[string, string]> = [];
  for (const { table_name } of rows) dumps.push([table_name, JSON.stringify((await store.pool.query(`SELECT * FROM ${table_name}`)).rows)]);
  return dumps;
}
