import { describe, expect, it } from 'vitest';
import { PostgresStore } from './postgres-store.js';
import { MIGRATIONS } from './migrations.js';
import { databaseAfter, rowsOf, skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 7 (moderation) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('takes a database made by migrations 1-6, with rows, to version 7: every row intact, and old rooms take standings, audit entries and reports', async () => {
    // The database as the release before moderation left it (migrations 1-6), with data it wrote.
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    await old.query(`INSERT INTO chat_rooms (id, title, options, created_by, created_at, last_seq) VALUES
      ('town-hall', 'Town hall', '{"slowModeMs":0}', 'host', '2024-01-01T00:00:00Z', 2),
      ('quiet', NULL, '{}', NULL, '2024-01-01T00:00:00Z', 0)`);
    await old.query(`INSERT INTO chat_messages (id, room_id, seq, client_id, user_id, user_name, text, created_at, user_bot)
      VALUES ('m1', 'town-hall', 1, 'c1', 'host', 'Host', 'welcome', '2024-01-02T00:00:00Z', false),
             ('m2', 'town-hall', 2, 'c2', 'bot', 'Bot', 'I am a bot', '2024-01-02T00:00:01Z', true)`);
    await old.query(`INSERT INTO chat_users (id, name) VALUES ('host', 'Host'), ('troll', 'Troll')`);
    await old.query(`INSERT INTO chat_members (room_id, user_id, read_seq) VALUES ('town-hall', 'host', 2), ('town-hall', 'troll', 1)`);
    const tables = ['chat_rooms', 'chat_messages', 'chat_users', 'chat_members'];
    const before = await rowsOf(old, tables);
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const { rows } = await store.pool.query<{ version: number }>('SELECT version FROM chat_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(rows.map((r) => r.version)).toContain(7);
    // No row of an earlier table changed.
    expect(await rowsOf(store.pool, tables, before)).toEqual(before);
    expect((await store.getMessage('town-hall', 'm2'))?.user).toEqual({ id: 'bot', name: 'Bot', bot: true });

    // Old rooms start with no standings, audit entries or reports, and take them.
    expect(await store.listStandings('town-hall')).toEqual([]);
    expect(await store.listAudit('town-hall', { limit: 10 })).toEqual({ entries: [], hasMore: false });
    expect(await store.setStanding('town-hall', 'troll', { ban: { reason: 'spam' } })).toEqual({
      userId: 'troll',
      ban: { reason: 'spam' },
    });
    const entry = await store.appendAudit({
      roomId: 'town-hall',
      action: 'ban',
      actor: { id: 'host', name: 'Host' },
      targetUserId: 'troll',
      reason: 'spam',
    });
    expect((await store.listAudit('town-hall', { limit: 10 })).entries).toEqual([entry]);
    const { report } = await store.appendReport({
      roomId: 'town-hall',
      messageId: 'm2',
      reporter: { id: 'host', name: 'Host' },
      reason: 'bot spam',
    });
    expect((await store.listReports('town-hall', { limit: 10 })).reports).toEqual([report]);
    // Old messages and members work as before.
    const next = await store.appendMessage({
      roomId: 'town-hall',
      clientId: 'c3',
      user: { id: 'host', name: 'Host' },
      text: 'again',
      attachments: [],
    });
    expect(next.message.seq).toBe(3);
    expect((await store.listMembers('town-hall')).map((m) => m.user.id)).toEqual(['host', 'troll']);
    await store.close();
  });
});

describe.skipIf(skipWithoutPostgres())('PostgresStore migration 8 (a ban ends membership) upgrades a database in place', () => {
  const schema = useTestSchema();

  it('removes the stored membership of users banned now, keeps everyone else’s, and every other row', async () => {
    const old = await databaseAfter(
      schema.connectionString,
      MIGRATIONS.filter((m) => m.version <= 7),
    );
    await old.query(`INSERT INTO chat_rooms (id, options, last_seq) VALUES ('town', '{}', 0), ('other', '{}', 0)`);
    await old.query(`INSERT INTO chat_users (id, name) SELECT u, u FROM unnest($1::text[]) u`, [
      ['host', 'troll', 'until-tomorrow', 'until-yesterday', 'muted'],
    ]);
    await old.query(`INSERT INTO chat_members (room_id, user_id, read_seq) VALUES
      ('town', 'host', 0), ('town', 'troll', 0), ('town', 'until-tomorrow', 0), ('town', 'until-yesterday', 0),
      ('town', 'muted', 0), ('other', 'troll', 0)`);
    const day = 86_400_000;
    await old.query(
      `INSERT INTO chat_standings (room_id, user_id, role, ban, mute) VALUES
        ('town', 'troll', NULL, '{"reason":"spam"}', NULL),
        ('town', 'until-tomorrow', NULL, $1, NULL),
        ('town', 'until-yesterday', NULL, $2, NULL),
        ('town', 'muted', NULL, NULL, '{}'),
        ('town', 'host', 'owner', NULL, NULL)`,
      [{ until: new Date(Date.now() + day).toISOString() }, { until: new Date(Date.now() - day).toISOString() }],
    );
    await old.end();

    const store = new PostgresStore({ connectionString: schema.connectionString });
    await store.init();
    const members = async (roomId: string) => (await store.listMembers(roomId)).map((m) => m.user.id).sort();
    // Banned now: gone; a ban that has ended, a mute and an owner: members as before.
    expect(await members('town')).toEqual(['host', 'muted', 'until-yesterday']);
    // Only the room of the ban: the same user stays a member of another room.
    expect(await members('other')).toEqual(['troll']);
    // The standings themselves are kept (the ban still holds).
    expect((await store.getStanding('town', 'troll'))?.ban).toEqual({ reason: 'spam' });
    await store.close();
  });
});
