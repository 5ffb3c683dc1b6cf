import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 15 (thread reads) upgrades a database in place', () => {
  const upgrade = useTestSchema();

  it('takes a database at version 14 with threads to version 15: rows intact, and no unread count changes', async () => {
    const old = await databaseAfter(
      upgrade.connectionString,
      MIGRATIONS.filter((m) => m.version <= 14),
    );
    // Ana's parent (1) with Ben's replies (2, 3) and Cy's (4); Ana read up to 2, Ben up to 0, Cy up to 4.
    // Each reply moved the room's rev (the parent's summary changed), as the store's appends do.
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq, last_rev) VALUES ('town', '{}', 4, 3)`);
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text)
      VALUES ('m1', 'town', 1, 'c1', 'ana', 'Ana', 'release?'), ('m2', 'town', 2, 'c2', 'ben', 'Ben', 'friday'),
             ('m3', 'town', 3, 'c3', 'ben', 'Ben', 'or monday'), ('m4', 'town', 4, 'c4', 'cy', 'Cy', 'friday')`);
    await old.query(`INSERT INTO chat_thread_replies (room_id, seq, thread_of, user_id, also_in_room)
      VALUES ('town', 2, 'm1', 'ben', false), ('town', 3, 'm1', 'ben', false), ('town', 4, 'm1', 'cy', false)`);
    await old.query(`INSERT INTO chat_threads (room_id, parent_id, summary)
      VALUES ('town', 'm1', '{"replyCount": 3, "lastReplyAt": "2024-01-02T00:00:00.000Z", "participants": []}')`);
    await old.query(`INSERT INTO chat_thread_participants (room_id, user_id, thread_of)
      VALUES ('town', 'ana', 'm1'), ('town', 'ben', 'm1'), ('town', 'cy', 'm1')`);
    await old.query(`INSERT INTO chat_users (id, name) VALUES ('ana', 'Ana'), ('ben', 'Ben'), ('cy', 'Cy')`);
    await old.query(
      `INSERT INTO chat_members (room_id, user_id, read_seq) VALUES ('town', 'ana', 2), ('town', 'ben', 0), ('town', 'cy', 4)`,
    );
    const tables = ['chat_rooms', 'chat_messages', 'chat_members', 'chat_thread_replies', 'chat_thread_participants', 'chat_threads'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: upgrade.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    // As before the upgrade: replies of others after the room's mark, in threads one takes part in.
    const threadUnread = async (userId: string) => (await store.conversations(userId, { limit: 5 }))[0]?.threadUnread;
    expect([await threadUnread('ana'), await threadUnread('ben'), await threadUnread('cy')]).toEqual([2, 1, undefined]);
    expect(await store.threadReads('town', 'ana', 5)).toEqual([{ threadOf: 'm1', readSeq: 2, unread: 2 }]);
    // From now on the thread's own mark moves them, and the room's does not.
    await store.markRead('town', 'ben', 4);
    expect(await threadUnread('ben')).toBe(1);
    expect(await store.markThreadRead('town', 'ben', 'm1', 4)).toEqual({ seq: 4, changed: true });
    expect(await threadUnread('ben')).toBeUndefined();
    await store.close();
  });
});
