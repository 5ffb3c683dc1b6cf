import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatError, Message } from '@chat/protocol';
import { PostgresStore } from '@chat/server/postgres';
import { STORAGE_UNREACHABLE } from '../../core/storage-unreachable.js';
import { sdkClient, startChat, track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';

// Retention when PostgreSQL fails under it (issue 29), on a real server with its timer, real
// PostgreSQL and a real client: the connection dropped in the middle of a batch, a row the batch
// needs held locked by another transaction, a pool of one held by the app, and the database out of
// connections for the role. Each time the pass reports the failure on chat.on('error') with a code
// and a sentence, the server goes on, a later pass finishes the job, nothing young is deleted,
// nothing expired is left, no message is left half-deleted, and a client paging back sees no gap.
// MemoryStore has no connections nor row locks: these do not apply to it.

const ana = { id: 'ana', name: 'Ana' };
const bea = { id: 'bea', name: 'Bea' };

describe.skipIf(skipWithoutPostgres())('retention when PostgreSQL fails (PostgresStore)', () => {
  const schema = useTestSchema();
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: schema.connectionString });
    await admin.connect();
    await new PostgresStore({ pool: schema.pool() }).init();
  });
  afterAll(async () => {
    await admin.end();
  });

  /**
   * A room of 8 messages stored 3 days ago (mentions, reactions, a thread with a reply among them)
   * and 3 from now (a reply to the old parent among them): retention at 2 days keeps the last 3.
   */
  async function seed(store: PostgresStore, roomId: string): Promise<Message[]> {
    await store.createRoom({ id: roomId });
    const send = async (text: string, more: { mentions?: string[]; threadOf?: string } = {}) =>
      (await store.appendMessage({ roomId, clientId: `${roomId}-${text}`, user: ana, text, attachments: [], ...more })).message;
    const old: Message[] = [];
    const parent = await send('old 1', { mentions: [bea.id] });
    old.push(parent);
    for (let i = 2; i <= 8; i++) old.push(await send(`old ${i}`, i % 3 === 0 ? { threadOf: parent.id, mentions: [bea.id] } : {}));
    for (const m of old) await store.changeMessage(roomId, m.id, { type: 'react', emoji: '👍', userId: bea.id, maxEmojis: 20 });
    await admin.query(`UPDATE chat_messages SET created_at = now() - interval '3 days' WHERE room_id = $1`, [roomId]);
    await send('young 1', { mentions: [bea.id] });
    await send('young 2', { threadOf: parent.id });
    await send('young 3');
    return old;
  }

  /** Everything a pass must leave whole: the young kept with their rows, nothing expired, no row of a message gone. */
  async function expectConsistent(roomId: string): Promise<void> {
    const count = async (sql: string) => Number((await admin.query<{ n: string }>(sql, [roomId])).rows[0]?.n);
    const texts = await admin.query<{ text: string }>('SELECT text FROM chat_messages WHERE room_id = $1 ORDER BY seq', [roomId]);
    expect(texts.rows.map((r) => r.text)).toEqual(['young 1', 'young 2', 'young 3']);
    const gone = (table: string, seq = 'seq') =>
      `SELECT count(*) AS n FROM ${table} x WHERE room_id = $1 AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.room_id = x.room_id AND m.seq = x.${seq})`;
    expect(await count(gone('chat_mentions'))).toBe(0);
    expect(await count(gone('chat_thread_replies'))).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM chat_reactions WHERE room_id = $1`)).toBe(0);
    // The young mention and reply keep their rows.
    expect(await count(`SELECT count(*) AS n FROM chat_mentions WHERE room_id = $1`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM chat_thread_replies WHERE room_id = $1`)).toBe(1);
  }

  /** While a pass is stopped: every old message is still whole (its reactions, mentions, thread rows) or wholly gone. */
  async function expectNoHalf(roomId: string, old: Message[]): Promise<void> {
    for (const m of old) {
      const { rows } = await admin.query<{ here: boolean; reactions: string; mentions: string; reply: string }>(
        `SELECT EXISTS (SELECT 1 FROM chat_messages WHERE id = $2) AS here,
           (SELECT count(*) FROM chat_reactions WHERE message_id = $2) AS reactions,
           (SELECT count(*) FROM chat_mentions WHERE room_id = $1 AND seq = $3) AS mentions,
           (SELECT count(*) FROM chat_thread_replies WHERE room_id = $1 AND seq = $3) AS reply`,
        [roomId, m.id, m.seq],
      );
      const row = rows[0];
      // A mention in a reply kept in its thread counts there, not among the room's mentions.
      const roomMention = m.mentions && (m.threadOf === undefined || m.alsoInRoom === true);
      const whole = { here: true, reactions: '1', mentions: roomMention ? '1' : '0', reply: m.threadOf ? '1' : '0' };
      expect([whole, { here: false, reactions: '0', mentions: '0', reply: '0' }]).toContainEqual(row);
    }
  }

  /** A client joined before the pass pages back to where history starts now: no gap reported. */
  async function expectClientSeesNoGap(url: string, roomId: string): Promise<void> {
    const client = sdkClient(url);
    const room = await client.join(roomId);
    const gaps: unknown[] = [];
    room.on('discontinuity', (d) => gaps.push(d));
    for (let pages = 0; room.hasMoreHistory && pages < 10; pages++) await room.history();
    expect(room.messages.map((m: Message) => m.text)).toEqual(['young 1', 'young 3']);
    expect(gaps).toEqual([]);
  }

  function reports(chat: { on: (event: 'error', listener: (error: ChatError, where: { event?: string }) => void) => unknown }) {
    const seen: { code: string; message: string; event: string | undefined }[] = [];
    chat.on('error', (error, where) => seen.push({ code: error.code, message: error.message, event: where.event }));
    return seen;
  }

  it('reports a batch whose connection PostgreSQL drops midway, keeps running, and the next pass finishes', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    const old = await seed(store, 'dropped');
    // The first batch's connection is ended from inside it, after its messages went and before their
    // mentions do (a sequence is not rolled back: it fires once).
    const fn = `kill_${randomBytes(3).toString('hex')}`;
    await admin.query(`CREATE SEQUENCE ${fn}`);
    await admin.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('${fn}') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NULL; END $$`);
    await admin.query(`CREATE TRIGGER ${fn} BEFORE DELETE ON chat_mentions FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
    track(() => admin.query(`DROP TRIGGER ${fn} ON chat_mentions; DROP FUNCTION ${fn}(); DROP SEQUENCE ${fn}`).then(() => undefined));
    const { chat, url } = await startChat({ store, retention: { days: 2, intervalMs: 50, batchSize: 3 } });
    const seen = reports(chat);
    await waitFor(() => expect(seen.length).toBeGreaterThan(0));
    expect(seen[0]).toMatchObject({ code: 'INTERNAL', event: 'retention' });
    expect(seen[0]?.message).toMatch(/connection to the database was lost.*nothing of it was stored/);
    await waitFor(() => expectConsistent('dropped'));
    await expectNoHalf('dropped', old);
    // The server still serves: a send is stored and a client pages history with no gap.
    await chat.sendMessage('dropped', { user: ana, text: 'after' });
    await admin.query(`DELETE FROM chat_messages WHERE room_id = 'dropped' AND text = 'after'`);
    await expectClientSeesNoGap(url, 'dropped');
  });

  it('gives up on a batch that waits for a row another transaction holds, without holding the room, and the next pass finishes', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    const old = await seed(store, 'locked');
    // A room after it (rooms go in id order) is not held up by it.
    await seed(store, 'loose');
    const blocker = new pg.Client({ connectionString: schema.connectionString });
    await blocker.connect();
    track(() => blocker.end());
    await blocker.query('BEGIN');
    // A reaction of the fourth old message, held: the second batch (messages 4-6) needs it for the cascade.
    await blocker.query('SELECT 1 FROM chat_reactions WHERE message_id = $1 FOR UPDATE', [old[3]?.id]);
    const { chat, url } = await startChat({ store, retention: { days: 2, intervalMs: 50, batchSize: 3 } });
    const seen = reports(chat);
    await waitFor(() => expect(seen.length).toBeGreaterThan(0));
    expect(seen[0]).toEqual({
      code: 'TIMEOUT',
      event: 'retention',
      message:
        'Retention waited too long for rows of room locked that another transaction holds locked: it deleted none of this batch, and the next pass tries again.',
    });
    // The pass went on to the next room; the first batch went, the waiting one left its rows whole;
    // sends to the room are not held for good.
    await waitFor(() => expectConsistent('loose'));
    await expectNoHalf('locked', old);
    expect(await store.getMessage('locked', old[3]?.id ?? '')).not.toBeNull();
    const sent = await chat.sendMessage('locked', { user: ana, text: 'while held' });
    await admin.query('DELETE FROM chat_messages WHERE id = $1', [sent.id]);
    await blocker.query('COMMIT');
    await waitFor(() => expectConsistent('locked'));
    await expectClientSeesNoGap(url, 'locked');
  });

  it('runs on a pool of one connection, which its batches share with the app', async () => {
    const pool = new pg.Pool({ connectionString: schema.connectionString, max: 1 });
    pool.on('error', () => undefined);
    track(() => pool.end());
    const store = new PostgresStore({ pool });
    await seed(store, 'one');
    const { chat } = await startChat({ store, retention: { days: 2, intervalMs: 50, batchSize: 3 } });
    const seen = reports(chat);
    // The app's reads go on meanwhile, on the same connection.
    const reads = Promise.all(Array.from({ length: 5 }, () => store.listMessages('one', { limit: 5 })));
    await waitFor(() => expectConsistent('one'));
    await reads;
    expect(seen).toEqual([]);
  });

  it('reports a pass the database refuses a connection to (the role at its connection limit), and the next one finishes', async () => {
    const role = `chat_role_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 1`);
    track(async () => {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
      await admin.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    });
    await admin.query(`GRANT ALL ON SCHEMA ${schema.name} TO ${role}`);
    await admin.query(`GRANT ALL ON ALL TABLES IN SCHEMA ${schema.name} TO ${role}`);
    await admin.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA ${schema.name} TO ${role}`);
    const url = new URL(schema.connectionString);
    url.username = role;
    const pool = new pg.Pool({ connectionString: url.href, max: 2 });
    pool.on('error', () => undefined);
    track(() => pool.end());
    const store = new PostgresStore({ pool: schema.pool() });
    await seed(store, 'full');
    // The role's one connection is the pool's (idle after the server's start): the pass's own is refused.
    const { chat } = await startChat({ store: new PostgresStore({ pool }), retention: { days: 2, intervalMs: 50, batchSize: 3 } });
    const seen = reports(chat);
    const causes: unknown[] = [];
    chat.on('error', (error) => causes.push(error.cause));
    await waitFor(() => expect(seen.length).toBeGreaterThan(0));
    // Said as any request is when the storage cannot be reached; PostgreSQL's own words are its cause, for the logs.
    expect(seen[0]).toMatchObject({ code: 'INTERNAL', message: STORAGE_UNREACHABLE, event: 'retention' });
    expect(causes[0]).toMatchObject({ message: expect.stringMatching(/too many connections/) as unknown });
    expect((await admin.query(`SELECT count(*) AS n FROM chat_messages WHERE room_id = 'full'`)).rows[0]).toEqual({ n: '11' });
    // A connection frees: the next pass finishes.
    await admin.query(`ALTER ROLE ${role} CONNECTION LIMIT 3`);
    await waitFor(() => expectConsistent('full'));
  });
});
