import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a version-1 database with rooms and messages to the latest schema, keeping the data', async () => {
    // The database as a release with only migration 1 left it, with data written by that release.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version === 1),
    );
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

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 3 (messages that change) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by migrations 1-2, with rows, to version 3: every row intact, rev 0, and old messages can be edited, reacted to and deleted', async () => {
    // The database as the release before messages could change left it (migrations 1 and 2),
    // with data that release wrote.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    await old.query(`INSERT INTO chat_rooms (id, title, private_metadata, options, created_by, last_seq)
      VALUES ('visit', 'Visit', '{"patientId":"p-7"}', '{}', 'dr', 3), ('other', NULL, NULL, '{}', NULL, 1)`);
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, user_avatar, text, attachments, reply_to, created_at)
      VALUES
        ('m1', 'visit', 1, 'c1', 'dr', 'Dr', 'https://a.example/dr.png', 'hello', '[{"url":"https://f.example/a.pdf","type":"application/pdf","name":"a.pdf","size":5}]', NULL, '2024-01-02T03:04:05.678Z'),
        ('m2', 'visit', 2, 'c2', 'p', 'P', NULL, 'hi', '[]', 'm1', '2024-01-02T03:04:06.000Z'),
        ('m3', 'visit', 3, 'c3', 'p', 'P', NULL, 'bye', '[]', NULL, '2024-01-02T03:04:07.000Z'),
        ('o1', 'other', 1, 'c1', 'x', 'X', NULL, 'elsewhere', '[]', NULL, '2024-01-02T03:04:08.000Z')`);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(rows.map((r) => r.version)).toContain(3);

    // Every row as it was, now with rev 0 and none of the new fields.
    const base = { roomId: 'visit', rev: 0 };
    const m1: Message = {
      ...base,
      id: 'm1',
      seq: 1,
      clientId: 'c1',
      user: { id: 'dr', name: 'Dr', avatarUrl: 'https://a.example/dr.png' },
      text: 'hello',
      attachments: [{ url: 'https://f.example/a.pdf', type: 'application/pdf', name: 'a.pdf', size: 5 }],
      createdAt: '2024-01-02T03:04:05.678Z',
    };
    const m2: Message = {
      ...base,
      id: 'm2',
      seq: 2,
      clientId: 'c2',
      user: { id: 'p', name: 'P' },
      text: 'hi',
      attachments: [],
      replyTo: 'm1',
      createdAt: '2024-01-02T03:04:06.000Z',
    };
    const m3: Message = {
      ...base,
      id: 'm3',
      seq: 3,
      clientId: 'c3',
      user: { id: 'p', name: 'P' },
      text: 'bye',
      attachments: [],
      createdAt: '2024-01-02T03:04:07.000Z',
    };
    expect((await store.listMessages('visit', { limit: 10 })).messages).toEqual([m1, m2, m3]);
    expect(await store.getMessage('other', 'o1')).toMatchObject({ text: 'elsewhere', rev: 0 });
    expect(await store.getRoom('visit')).toMatchObject({ title: 'Visit', privateMetadata: { patientId: 'p-7' }, createdBy: 'dr' });
    expect([await store.roomRev('visit'), await store.roomRev('other')]).toEqual([0, 0]);
    expect(await store.listMessages('visit', { changedAfter: 0, limit: 10 })).toEqual({ messages: [], hasMore: false });

    // Old messages take changes; the room's counter starts at 1.
    const at = new Date().toISOString();
    const edited = await store.changeMessage('visit', 'm1', { type: 'edit', text: 'hello again', mentions: ['p'], at });
    expect(edited).toEqual({ changed: true, message: { ...m1, text: 'hello again', mentions: ['p'], editedAt: at, rev: 1 } });
    const reacted = await store.changeMessage('visit', 'm2', { type: 'react', emoji: '👍', userId: 'dr', maxEmojis: 20 });
    expect(reacted.message).toEqual({ ...m2, reactions: { '👍': { count: 1, userIds: ['dr'] } }, rev: 2 });
    const deleted = await store.changeMessage('visit', 'm3', { type: 'delete', at });
    expect(deleted.message).toEqual({ ...m3, text: '', deletedAt: at, rev: 3 });
    expect(await store.roomRev('visit')).toBe(3);
    expect(await store.roomRev('other')).toBe(0);
    expect((await store.listMessages('visit', { changedAfter: 0, limit: 10 })).messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);

    // New messages continue the old seqs, with rev 0 and their mentions.
    const next = await store.appendMessage({
      roomId: 'visit',
      clientId: 'c4',
      user: { id: 'dr', name: 'Dr' },
      text: 'new',
      attachments: [],
      mentions: ['p'],
    });
    expect(next.message).toMatchObject({ seq: 4, rev: 0, mentions: ['p'] });
    // The catch-up index exists (and, partial, leaves unchanged rows out).
    const index = await store.pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'chat_messages_room_rev'`,
    );
    expect(index.rows[0]?.indexdef).toMatch(/\(room_id, rev\) WHERE \(rev > 0\)/u);
    await store.close();
  });
});

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 4 (conversations) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by migrations 1-3, with rows, to version 4: every row intact, activity and mentions indexed from the old rows', async () => {
    // The database as the release with messages that change left it (migrations 1-3), with data
    // that release wrote: edited, reacted and deleted messages, mentions, an ended room.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version <= 3),
    );
    await old.query(`INSERT INTO chat_rooms (id, title, private_metadata, options, created_by, created_at, ended_at, last_seq, last_rev) VALUES
      ('visit', 'Visit', '{"patientId":"p-7"}', '{"private":true}', 'dr', '2024-01-01T00:00:00Z', NULL, 3, 2),
      ('lobby', 'Lobby', NULL, '{}', NULL, '2024-01-01T00:00:00Z', NULL, 1, 0),
      ('empty', NULL, NULL, '{}', NULL, '2024-01-01T00:00:00Z', NULL, 0, 0),
      ('over', NULL, NULL, '{}', NULL, '2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z', 1, 0)`);
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, rev, edited_at, deleted_at, mentions, reactions)
      VALUES
        ('m1', 'visit', 1, 'c1', 'dr', 'Dr', 'hello @p', '2024-01-02T03:04:05.678Z', 1, '2024-01-02T03:05:00.000Z', NULL, '["p"]', NULL),
        ('m2', 'visit', 2, 'c2', 'p', 'P', 'hi', '2024-01-02T03:04:06.000Z', 2, NULL, NULL, NULL, '[{"emoji":"👍","count":1,"userIds":["dr"]}]'),
        ('m3', 'visit', 3, 'c3', 'dr', 'Dr', 'see you @p', '2024-01-02T03:04:07.000Z', 0, NULL, NULL, '["p","nurse"]', NULL),
        ('l1', 'lobby', 1, 'c1', 'x', 'X', 'newest room', '2024-02-01T00:00:00.000Z', 0, NULL, NULL, '["p"]', NULL),
        ('o1', 'over', 1, 'c1', 'x', 'X', 'ended', '2024-03-01T00:00:00.000Z', 0, NULL, NULL, NULL, NULL)`);
    await old.query(`INSERT INTO chat_reactions (message_id, emoji, user_id, room_id, rev) VALUES ('m2', '👍', 'dr', 'visit', 2)`);
    const before = await old.query('SELECT * FROM chat_messages ORDER BY id');
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(rows.map((r) => r.version)).toContain(4);

    // Every message row exactly as it was; rooms as they were, now with their last activity.
    // Every old column intact; migration 6's columns read as a person's message without a system
    // note, migration 13's as a message of a plain room (no ciphertext).
    const upgraded = (await store.pool.query('SELECT * FROM chat_messages ORDER BY id')).rows;
    expect(upgraded.map(({ user_bot, system, ciphertext, ...rest }) => rest)).toEqual(before.rows);
    expect(upgraded.every((r) => r.user_bot === false && r.system === null && r.ciphertext === null)).toBe(true);
    const activity = await store.pool.query<{ id: string; last_message_at: Date | null; last_seq: string; last_rev: string }>(
      'SELECT id, last_message_at, last_seq, last_rev FROM chat_rooms ORDER BY id',
    );
    expect(activity.rows.map((r) => [r.id, r.last_message_at?.toISOString() ?? null, Number(r.last_seq), Number(r.last_rev)])).toEqual([
      ['empty', null, 0, 0],
      ['lobby', '2024-02-01T00:00:00.000Z', 1, 0],
      ['over', '2024-03-01T00:00:00.000Z', 1, 0],
      ['visit', '2024-01-02T03:04:07.000Z', 3, 2],
    ]);
    expect(await store.getRoom('visit')).toMatchObject({
      title: 'Visit',
      privateMetadata: { patientId: 'p-7' },
      options: { private: true },
    });
    expect((await store.getMessage('visit', 'm2'))?.reactions).toEqual({ '👍': { count: 1, userIds: ['dr'] } });
    // The mention index holds the mentions stored before it existed.
    const mentions = await store.pool.query<{ room_id: string; user_id: string; seq: string }>(
      'SELECT room_id, user_id, seq FROM chat_mentions ORDER BY room_id, user_id, seq',
    );
    expect(mentions.rows.map((r) => [r.room_id, r.user_id, Number(r.seq)])).toEqual([
      ['lobby', 'p', 1],
      ['visit', 'nurse', 3],
      ['visit', 'p', 1],
      ['visit', 'p', 3],
    ]);
    // No one is a member yet: members are stored from now on (each join adds one).
    expect(await store.listMembers('visit')).toEqual([]);

    // Old rooms take members; their counts come from the old rows.
    const p = { id: 'p', name: 'P' };
    for (const id of ['visit', 'lobby', 'empty', 'over']) await store.addMembers(id, [p]);
    const list = await store.conversations('p', { limit: 10 });
    expect(list.map((c) => [c.room.id, c.unread, c.mentions, c.lastMessage?.id])).toEqual([
      ['empty', 0, 0, undefined],
      ['lobby', 1, 1, 'l1'],
      ['visit', 3, 2, 'm3'],
    ]);
    expect(list[2]?.room).not.toHaveProperty('privateMetadata');
    // Migration 5 copied each room's last message onto the room, as the store reads it.
    const uncopied = await store.pool.query('SELECT id FROM chat_rooms WHERE last_seq > 0 AND last_message IS NULL');
    expect(uncopied.rows).toEqual([]);
    expect(list[1]?.lastMessage).toEqual(await store.getMessage('lobby', 'l1'));
    expect(list[2]?.lastMessage).toEqual(await store.getMessage('visit', 'm3'));
    expect(await store.markRead('visit', 'p', 10)).toEqual({ seq: 3, changed: true });
    expect((await store.conversations('p', { limit: 10 })).find((c) => c.room.id === 'visit')).toMatchObject({ unread: 0, mentions: 0 });

    // An old message's mention, edited away, leaves the index; a new message continues the seqs.
    await store.changeMessage('lobby', 'l1', { type: 'edit', text: 'newest room', at: new Date().toISOString() });
    const next = await store.appendMessage({
      roomId: 'visit',
      clientId: 'c4',
      user: { id: 'dr', name: 'Dr' },
      text: 'again @p',
      attachments: [],
      mentions: ['p'],
    });
    expect(next.message.seq).toBe(4);
    const after = await store.conversations('p', { limit: 10 });
    expect(after.map((c) => [c.room.id, c.unread, c.mentions])).toEqual([
      ['visit', 1, 1],
      ['empty', 0, 0],
      ['lobby', 1, 0],
    ]);
    expect(after[0]?.lastMessage).toEqual(next.message);
    expect(after[2]?.lastMessage).toEqual(await store.getMessage('lobby', 'l1'));
    expect(after[2]?.lastMessage?.editedAt).toBeDefined();
    await store.close();
  });
});

describe.skipIf(skipWithoutPostgres())('PostgresStore on a database made by the schema before the latest', () => {
  const schema = useTestSchema();

  it("lists direct rooms' members as that schema stored them, in join order, every row intact", async () => {
    // Every migration but the last, and the rows a direct conversation left in them.
    const old = await databaseAfter(schema.connectionString, MIGRATIONS.slice(0, -1));
    await old.query(`INSERT INTO chat_rooms (id, options, created_at) VALUES
      ('dm-ana-luis', '{"direct":true,"private":true}', '2024-01-01T00:00:00Z'),
      ('dm-ana-eva-zoe', '{"direct":true,"private":true}', '2024-01-02T00:00:00Z'),
      ('lobby', '{}', '2024-01-03T00:00:00Z')`);
    await old.query(`INSERT INTO chat_users (id, name, avatar_url) VALUES
      ('ana', 'Ana', NULL), ('luis', 'Luis', 'https://img.example/luis.png'), ('eva', 'Eva', NULL), ('zoe', 'Zoe', NULL)`);
    await old.query(`INSERT INTO chat_members (room_id, user_id, added_at) VALUES
      ('dm-ana-luis', 'luis', '2024-01-01T00:00:00Z'), ('dm-ana-luis', 'ana', '2024-01-01T00:00:00Z'),
      ('dm-ana-eva-zoe', 'zoe', '2024-01-02T00:00:02Z'), ('dm-ana-eva-zoe', 'ana', '2024-01-02T00:00:00Z'),
      ('dm-ana-eva-zoe', 'eva', '2024-01-02T00:00:01Z'), ('lobby', 'ana', '2024-01-03T00:00:00Z')`);
    const tables = ['chat_rooms', 'chat_users', 'chat_members'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    // Newest first; a direct room's members in the order they were added (ties by id), others none.
    const list = await store.conversations('ana', { limit: 10 });
    expect(list.map((c) => [c.room.id, c.members?.map((m) => m.id)])).toEqual([
      ['lobby', undefined],
      ['dm-ana-eva-zoe', ['ana', 'eva', 'zoe']],
      ['dm-ana-luis', ['ana', 'luis']],
    ]);
    expect(list[2]?.members?.[1]).toEqual({ id: 'luis', name: 'Luis', avatarUrl: 'https://img.example/luis.png' });
    await store.close();
  });
});
