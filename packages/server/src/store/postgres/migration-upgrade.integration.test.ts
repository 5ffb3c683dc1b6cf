import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a version-1 database with rooms and messages to the latest schema, keeping the data', async () => {
    // The database as a release with only migration 1 left it, with data written by that release.
    const old = new pg.Client({ connectionString: schema.connectionString });
    await old.connect();
    await old.query(`CREATE TABLE chat_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const v1 = MIGRATIONS.find((m) => m.version === 1);
    await old.query(v1?.sql ?? '');
    await old.query(`INSERT INTO chat_migrations (version, name) VALUES (1, 'rooms and messages')`);
    await old.query(
      `INSERT INTO chat_rooms (id, title, metadata, options, created_by, last_seq) VALUES ('cita-1', 'Old', '{"topic":"x"}', '{"private":true}', 'dr', 2)`,
    );
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text)
      VALUES ('m1', 'cita-1', 1, 'c1', 'dr', 'Dr', 'hello'), ('m2', 'cita-1', 2, 'c2', 'p', 'P', 'hi')`);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));

    const room = await store.getRoom('cita-1');
    expect(room).toMatchObject({ id: 'cita-1', title: 'Old', metadata: { topic: 'x' }, options: { private: true }, createdBy: 'dr' });
    expect(room).not.toHaveProperty('privateMetadata');
    expect((await store.listMessages('cita-1', { limit: 10 })).messages.map((m) => [m.seq, m.text])).toEqual([
      [1, 'hello'],
      [2, 'hi'],
    ]);
    // The old room takes new fields and new messages continue its seqs.
    expect(await store.updateRoom('cita-1', { privateMetadata: { patientId: 'p-7' } })).toMatchObject({
      metadata: { topic: 'x' },
      privateMetadata: { patientId: 'p-7' },
    });
    const next = await store.appendMessage({
      roomId: 'cita-1',
      clientId: 'c3',
      user: { id: 'dr', name: 'Dr' },
      text: 'again',
      attachments: [],
    });
    expect(next.message.seq).toBe(3);
    await store.close();
  });
});
