import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Migrations 28 and 29 on a database the release before them left, with its data: the room's
// mention rows of replies only in a thread go (they count in the thread now), every other row stays.
describe.skipIf(skipWithoutPostgres())('PostgresStore upgrades a database made before migrations 28 and 29', () => {
  const schema = useTestSchema();

  it('keeps the mentions of the main log and of replies also in the room, drops those of thread-only replies', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version <= 27),
    );
    await old.query(
      `INSERT INTO chat_rooms (id, title, metadata, options, created_by, last_seq) VALUES ('plaza', 'Plaza', '{}', '{}', 'ana', 3)`,
    );
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text)
      VALUES ('m1', 'plaza', 1, 'c1', 'ana', 'Ana', 'hi @luis'), ('m2', 'plaza', 2, 'c2', 'ana', 'Ana', 'only here @luis'),
             ('m3', 'plaza', 3, 'c3', 'ana', 'Ana', 'here and there @luis')`);
    await old.query(`INSERT INTO chat_thread_replies (room_id, seq, thread_of, user_id, also_in_room)
      VALUES ('plaza', 2, 'm1', 'ana', false), ('plaza', 3, 'm1', 'ana', true)`);
    await old.query(
      `INSERT INTO chat_mentions (room_id, user_id, seq) VALUES ('plaza', 'luis', 1), ('plaza', 'luis', 2), ('plaza', 'luis', 3)`,
    );
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const mentions = await store.pool.query<{ seq: string }>(`SELECT seq FROM chat_mentions WHERE room_id = 'plaza' ORDER BY seq`);
    expect(mentions.rows.map((r) => Number(r.seq))).toEqual([1, 3]);
    const messages = await store.pool.query<{ id: string }>(`SELECT id FROM chat_messages WHERE room_id = 'plaza' ORDER BY seq`);
    expect(messages.rows.map((r) => r.id)).toEqual(['m1', 'm2', 'm3']);
    const ended = await store.pool.query(`SELECT * FROM chat_ended_reads`);
    expect(ended.rows).toEqual([]);
    await store.close();
  });
});
