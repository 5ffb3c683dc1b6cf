// Proof that a marker reached no stored row: every table of a PostgresStore's schema, or
// everything a MemoryStore exports about the given users.
import { expect } from 'vitest';
import type { ChatServer } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';

/**
 * Fails when `marker` is in any row of the chat's PostgreSQL schema, or in what the memory store
 * exports of `userIds`. `options.found` is a string that must be there (a message's id, say): proof
 * that the rows looked through hold what was stored.
 */
export async function expectStoredNowhere(
  chat: ChatServer,
  marker: string,
  userIds: readonly string[],
  options: { found?: string } = {},
): Promise<void> {
  let everything = '';
  if (chat.store instanceof PostgresStore) {
    const { rows } = await chat.store.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const { table_name } of rows) {
      const dump = JSON.stringify((await chat.store.pool.query(`SELECT * FROM ${table_name}`)).rows);
      expect(dump, table_name).not.toContain(marker);
      everything += dump;
    }
  } else {
    for (const userId of userIds) {
      let exported = '';
      for await (const chunk of chat.exportUser(userId)) exported += chunk;
      expect(exported, userId).not.toContain(marker);
      everything += exported;
    }
  }
  if (options.found !== undefined) expect(everything).toContain(options.found);
}
