import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { describeStoreConformance, freshRoomId } from '../../testing/store-conformance.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { tableDumps } from '../../../../../test-support/stored-nowhere.js';

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

  describeStoreConformance('PostgresStore', async () => (await open())[0], {
    openAgain: async () => (await open())[1],
    // The erase case's proof: every row of every table of the file's schema.
    dump: async (store) => (await tableDumps(store as PostgresStore)).map(([table, rows]) => `${table}: ${rows}`).join('\n'),
  });

  it("reads a room and a room's standings (the send path's cached reads) as named statements, prepared once per connection", async () => {
    const pool = new pg.Pool({ connectionString: schema.connectionString, max: 1 });
    try {
      const store = new PostgresStore({ pool });
      await store.init();
      const roomId = freshRoomId('pg');
      await store.createRoom({ id: roomId });
      await store.setStanding(roomId, 'u', { role: 'moderator' });
      for (let i = 0; i < 3; i++) {
        expect((await store.getRoom(roomId))?.id).toBe(roomId);
        expect((await store.listStandings(roomId)).map((s) => s.userId)).toEqual(['u']);
      }
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['chat_room_by_id', 'chat_standings_of_room']));
    } finally {
      await pool.end();
    }
  });

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
    // Nor does the room's copy of its last message.
    const copy = await store.pool.query<{ last_message: string }>('SELECT last_message::text FROM chat_rooms WHERE id = $1', [roomId]);
    expect(copy.rows[0]?.last_message).not.toMatch(/the secret|files\.example|"u2"|👍/u);
  });

  it("keeps each room's copy of its last message equal to the message through appends and every kind of change", async () => {
    const [store, other] = await open();
    const ana = { id: 'ana', name: 'Ana', avatarUrl: 'https://a.example/ana.png' };
    const roomId = freshRoomId('pg');
    await store.createRoom({ id: roomId });
    await store.addMembers(roomId, [ana]);
    const last = async () => (await store.conversations(ana.id, { limit: 100 })).find((c) => c.room.id === roomId)?.lastMessage;
    const stored = async (id: string) => store.getMessage(roomId, id);
    expect(await last()).toBeUndefined();
    const first = await store.appendMessage({ roomId, clientId: 'a', user: ana, text: 'first @ana', attachments: [], mentions: [ana.id] });
    expect(await last()).toEqual(first.message);
    const { message } = await other.appendMessage({
      roomId,
      clientId: 'b',
      user: ana,
      text: 'second, with "quotes" and \\ and émojis 🎉',
      attachments: [{ url: 'https://files.example/a.png', type: 'image/png', name: 'a.png', size: 12 }],
      replyTo: first.message.id,
      mentions: [ana.id, 'ben'],
    });
    expect(await last()).toEqual(message);
    // A retried send is the same message: the copy stays.
    await store.appendMessage({ roomId, clientId: 'b', user: ana, text: 'retried', attachments: [] });
    expect(await last()).toEqual(message);
    const at = new Date().toISOString();
    await other.changeMessage(roomId, message.id, { type: 'edit', text: 'second, edited', mentions: [], at });
    expect(await last()).toEqual(await stored(message.id));
    expect(await last()).toMatchObject({ text: 'second, edited', editedAt: at });
    await store.changeMessage(roomId, message.id, { type: 'react', emoji: '👍', userId: 'ben', maxEmojis: 20 });
    await store.changeMessage(roomId, message.id, { type: 'react', emoji: '🎉', userId: 'ana', maxEmojis: 20 });
    expect(await last()).toEqual(await stored(message.id));
    await other.changeMessage(roomId, message.id, { type: 'unreact', emoji: '👍', userId: 'ben' });
    expect(await last()).toEqual(await stored(message.id));
    expect((await last())?.reactions).toEqual({ '🎉': { count: 1, userIds: ['ana'] } });
    // A change to an older message leaves the copy of the last one as it is.
    await store.changeMessage(roomId, first.message.id, { type: 'edit', text: 'first, edited', at });
    await store.changeMessage(roomId, first.message.id, { type: 'delete', at });
    expect(await last()).toEqual(await stored(message.id));
    await store.changeMessage(roomId, message.id, { type: 'delete', at });
    expect(await last()).toEqual(await stored(message.id));
    expect(await last()).toMatchObject({ text: '', deletedAt: at });
    // Rows written by hand, without the copy: the message is read instead.
    await store.pool.query('UPDATE chat_rooms SET last_message = NULL WHERE id = $1', [roomId]);
    expect(await last()).toEqual(await stored(message.id));
  });

  it('needs a connection string or a pool', () => {
    expect(() => new PostgresStore({ connectionString: '' })).toThrow(/connectionString or a pool/u);
  });
});
