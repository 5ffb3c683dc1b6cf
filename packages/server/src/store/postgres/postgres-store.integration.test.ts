import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { describeStoreConformance, freshRoomId } from '../../testing/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore', () => {
  const schema = useTestSchema();
  // Two stores on two pools for the whole file, as two processes would have them: the suite's
  // store, and the second instance its concurrency cases write through.
  let stores: Promise<[PostgresStore, PostgresStore]> | undefined;
  const open = () =>
    (stores ??= (async () => {
      const pair: [PostgresStore, PostgresStore] = [new PostgresStore({ pool: schema.pool() }), new PostgresStore({ pool: schema.pool() })];
      await pair[0].init();
      return pair;
    })());

  describeStoreConformance('PostgresStore', async () => (await open())[0], { openAgain: async () => (await open())[1] });

  it('migrates once when several processes start at once, and init() can run again', async () => {
    const stores = Array.from({ length: 5 }, () => new PostgresStore({ connectionString: schema.connectionString }));
    await Promise.all(stores.map((s) => s.init()));
    await stores[0]?.init();
    const { rows } = await stores[0]!.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await Promise.all(stores.map((s) => s.close()));
  });

  it('gives gap-free seqs to concurrent writers on separate pools (as separate processes would)', async () => {
    const writers = Array.from({ length: 4 }, () => new PostgresStore({ pool: schema.pool() }));
    await writers[0]!.init();
    const roomId = freshRoomId('pg');
    await writers[0]!.createRoom({ id: roomId });
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        writers[i % 4]!.appendMessage({ roomId, clientId: `c${i % 60}`, user: { id: 'u', name: 'U' }, text: `m${i}`, attachments: [] }),
      ),
    );
    const stored = results.filter((r) => !r.duplicate);
    expect(stored).toHaveLength(60);
    expect(stored.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('keeps what is stored when a bad request fails (SQL text in values is data)', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    await store.init();
    const roomId = freshRoomId('pg');
    await store.createRoom({ id: roomId, title: "'); DROP TABLE chat_messages; --" });
    await store.appendMessage({
      roomId,
      clientId: 'a',
      user: { id: 'u', name: "Robert'); --" },
      text: "1'; DELETE FROM chat_messages; --",
      attachments: [],
    });
    await expect(
      store.appendMessage({ roomId: freshRoomId('none'), clientId: 'b', user: { id: 'u', name: 'U' }, text: 'x', attachments: [] }),
    ).rejects.toMatchObject({
      code: 'ROOM_NOT_FOUND',
    });
    const page = await store.listMessages(roomId, { limit: 10 });
    expect(page.messages.map((m) => [m.user.name, m.text])).toEqual([["Robert'); --", "1'; DELETE FROM chat_messages; --"]]);
    expect((await store.getRoom(roomId))?.title).toBe("'); DROP TABLE chat_messages; --");
  });

  it('deletes a message for real: the row keeps no text, attachments, mentions or reactions, and its reaction rows are gone', async () => {
    const [store] = await open();
    const roomId = freshRoomId('pg');
    await store.createRoom({ id: roomId });
    const { message } = await store.appendMessage({
      roomId,
      clientId: 'secret',
      user: { id: 'u', name: 'U' },
      text: 'the secret',
      attachments: [{ url: 'https://files.example/secret.pdf', type: 'application/pdf' }],
      mentions: ['u2'],
    });
    for (const userId of ['u1', 'u2', 'u3'])
      await store.changeMessage(roomId, message.id, { type: 'react', emoji: '👍', userId, maxEmojis: 20 });
    const reactionRows = () => store.pool.query('SELECT 1 FROM chat_reactions WHERE message_id = $1', [message.id]);
    expect((await reactionRows()).rowCount).toBe(3);
    await store.changeMessage(roomId, message.id, { type: 'delete', at: new Date().toISOString() });
    const { rows } = await store.pool.query(
      'SELECT text, attachments, mentions IS NULL AS no_mentions, reactions IS NULL AS no_reactions, deleted_at IS NOT NULL AS deleted FROM chat_messages WHERE id = $1',
      [message.id],
    );
    expect(rows).toEqual([{ text: '', attachments: [], no_mentions: true, no_reactions: true, deleted: true }]);
    expect((await reactionRows()).rowCount).toBe(0);
  });

  it('needs a connection string or a pool', () => {
    expect(() => new PostgresStore({ connectionString: '' })).toThrow(/connectionString or a pool/u);
  });
});
