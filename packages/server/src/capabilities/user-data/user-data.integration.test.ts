import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { diskUploads, MemoryStore, type ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { ERASED_USER } from '../../core/chat-store.js';
import { joined, moderationChat, passThrough, sent } from '../moderation/moderation-fixtures.js';
import { nextEvent, okData, request, track, type TestChat } from '../../../../../test-support/servers.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { waitFor } from '../../../../../test-support/wait.js';

// A person's data on a real server, over both stores: the export (streamed, everything stored),
// the erase (placeholders and updates for the others, sockets gone, records gone, audit kept
// without the person), its REST routes for admins, a run cut short and run again, and an erase
// racing the person's own sends.

/** A file of `owner`'s in the uploads folder, as `POST /uploads` leaves it. */
async function storedFile(dir: string, owner: string): Promise<string> {
  const id = randomUUID().replaceAll('-', '').slice(0, 22);
  await writeFile(join(dir, `${id}.png`), 'png bytes');
  const meta = { file: `${id}.png`, type: 'image/png', name: 'cat.png', size: 9, userId: owner, createdAt: new Date().toISOString() };
  await writeFile(join(dir, `${id}.json`), JSON.stringify(meta));
  return `${id}.png`;
}

async function exported(chunks: AsyncIterable<string>): Promise<{ count: number; doc: Record<string, unknown> }> {
  let text = '';
  let count = 0;
  for await (const chunk of chunks) {
    text += chunk;
    count++;
  }
  return { count, doc: JSON.parse(text) as Record<string, unknown> };
}

function userDataSuite(makeStore: () => Promise<ChatStore>): void {
  async function setUp() {
    const dir = await mkdtemp(join(tmpdir(), 'user-data-'));
    track(() => rm(dir, { recursive: true, force: true }));
    const store = await makeStore();
    const started = await moderationChat({ store, uploads: diskUploads({ dir }) });
    await started.chat.ready();
    const ana = `ana-${randomUUID()}`;
    // A room of its own per test: the PostgreSQL schema is shared by the file's tests.
    const town = `town-${randomUUID()}`;
    const [luis] = await joined(started.url, town, 'luis');
    const [anaSocket] = await joined(started.url, town, ana);
    await started.chat.addMembers(town, [ana, 'luis']);
    const theirs = await sent(luis, town, 'hello Ana');
    const mine = await sent(anaSocket, town, 'hola Luis');
    okData(await request(anaSocket, 'reaction:add', { roomId: town, messageId: theirs.id, emoji: '👍' }));
    okData(await request(anaSocket, 'read:mark', { roomId: town, seq: mine.seq }));
    okData(await request(anaSocket, 'presence:status', { status: 'busy', text: 'in a call' }));
    okData(await request(anaSocket, 'message:report', { roomId: town, messageId: theirs.id, reason: 'rude' }));
    const file = await storedFile(dir, ana);
    // Ana acted as a moderator once, and was acted on once: both entries stay, without her.
    await started.chat.mute(town, 'luis', { by: { id: ana, name: 'Ana' } });
    await started.chat.unmute(town, 'luis');
    await started.chat.mute(town, ana);
    await started.chat.unmute(town, ana);
    return { ...started, store, dir, town, ana, luis, anaSocket, theirs, mine, file };
  }

  it('exports everything stored about a person as one JSON document, messages streamed in pages', async () => {
    const { chat, store, town, ana, file, theirs, mine } = await setUp();
    const desk = `desk-${randomUUID()}`;
    await store.createRoom({ id: desk });
    for (let i = 0; i < 1100; i += 100) {
      const batch = Array.from({ length: 100 }, (_, j) => `line ${i + j}`);
      await Promise.all(
        batch.map((text) => store.appendMessage({ roomId: desk, clientId: text, user: { id: ana, name: 'Ana' }, text, attachments: [] })),
      );
    }
    const { count, doc } = await exported(chat.exportUser(ana));
    expect(count).toBeGreaterThanOrEqual(4);
    expect(doc).toMatchObject({
      format: 'chat-user-export/1',
      userId: ana,
      profile: { id: ana, name: ana },
      status: { status: 'busy', statusText: 'in a call' },
      memberships: [{ roomId: town, readSeq: mine.seq, notifications: 'all' }],
      reactions: [{ roomId: town, messageId: theirs.id, emoji: '👍' }],
      reports: [{ roomId: town, messageId: theirs.id, reason: 'rude' }],
      uploads: [{ file, type: 'image/png', name: 'cat.png', size: 9 }],
    });
    const messages = doc['messages'] as Message[];
    expect(messages).toHaveLength(1101);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1101);
    expect(messages.every((m) => m.user.id === ana)).toBe(true);
    // An unknown user exports an empty document, not an error.
    expect((await exported(chat.exportUser('nobody'))).doc).toMatchObject({ profile: null, messages: [], memberships: [] });
  });

  it('erases a person: placeholders and updates for the others, sockets gone, records gone, audit without the person', async () => {
    const { chat, url, store, dir, town, ana, luis, anaSocket, theirs, mine } = await setUp();
    const [watcher] = await joined(url, town, 'eva');
    const deleted = nextEvent(watcher, 'message:updated', (m) => m.id === mine.id && m.deletedAt !== undefined);
    const unreacted = nextEvent(watcher, 'message:updated', (m) => m.id === theirs.id && m.reactions === undefined);
    const gone = new Promise<string>((resolve) => anaSocket.once('disconnect', resolve));
    await chat.eraseUser(ana);
    expect(await gone).toBe('io server disconnect');
    expect(await deleted).toMatchObject({ id: mine.id, seq: mine.seq, text: '', rev: expect.any(Number), user: ERASED_USER });
    await unreacted;
    expect((await store.getMessage(town, mine.id))?.deletedAt).toBeDefined();
    expect(await store.userRecords(ana)).toEqual({
      memberships: [],
      reactions: [],
      threadReads: [],
      endedReads: [],
      reports: [],
      pushSubscriptions: [],
    });
    expect(await readdir(dir)).toEqual([]);
    const { entries } = await chat.auditLog(town);
    expect(entries.map((e) => [e.action, e.actor.id, e.targetUserId])).toEqual([
      ['unmute', 'server', ERASED_USER.id],
      ['mute', 'server', ERASED_USER.id],
      ['unmute', 'server', 'luis'],
      ['mute', ERASED_USER.id, 'luis'],
    ]);
    expect(JSON.stringify(entries)).not.toContain(ana);
    // No audit entry per erased message: the erase is not a moderator's delete.
    expect(entries.filter((e) => e.action === 'message:delete')).toEqual([]);
    expect(luis.connected).toBe(true);
    // Again: nothing left to do, nothing fails.
    await chat.eraseUser(ana);
    // A user id that is none is told, not erased or exported.
    for (const bad of ['', 'x'.repeat(300), 42]) {
      await expect(chat.eraseUser(bad as string)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(exported(chat.exportUser(bad as string))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('answers the REST routes for admins only: the export streams the same document, the erase erases', async () => {
    const { rest, url, town, ana } = await setUp();
    for (const [method, path] of [
      ['GET', `/users/${ana}/export`],
      ['DELETE', `/users/${ana}`],
    ] as const) {
      expect(await rest({ id: 'luis' }, method, path)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    const res = await fetch(`${url}/chat/users/${encodeURIComponent(ana)}/export`, {
      headers: { 'x-chat-auth': encodeURIComponent(JSON.stringify({ id: 'ops', roles: ['admin'] })) },
    });
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ userId: ana, memberships: [{ roomId: town }] });
    expect(await rest({ id: 'ops', roles: ['admin'] }, 'DELETE', `/users/${'x'.repeat(300)}`)).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
    expect(await rest({ id: 'ops', roles: ['admin'] }, 'DELETE', `/users/${ana}`)).toEqual({
      status: 200,
      body: { userId: ana, erased: true },
    });
    expect((await rest({ id: 'ops', roles: ['admin'] }, 'GET', `/users/${ana}/export`)).body).toMatchObject({
      profile: null,
      memberships: [],
    });
  });

  it('finishes an erase cut short (the store failing halfway) when run again', async () => {
    const { chat, store, town, ana, anaSocket } = await setUp();
    for (let i = 0; i < 4; i++) await sent(anaSocket, town, `more ${i}`);
    const changeMessage = store.changeMessage.bind(store);
    let calls = 0;
    store.changeMessage = async (...args) => {
      if (++calls === 3) throw new Error('the database went away');
      return changeMessage(...args);
    };
    await expect(chat.eraseUser(ana)).rejects.toThrow();
    // Two of her five are placeholders of ERASED_USER already (no longer hers); three are left as they were.
    const halfway = await store.userMessages(ana, { limit: 100 });
    expect(halfway.map((m) => m.deletedAt)).toEqual([undefined, undefined, undefined]);
    expect((await store.userRecords(ana)).memberships).toHaveLength(1);
    store.changeMessage = changeMessage;
    await chat.eraseUser(ana);
    expect(await store.userMessages(ana, { limit: 100 })).toEqual([]);
    const { messages } = await store.listMessages(town, { limit: 100 });
    expect(messages.filter((m) => m.user.id === ERASED_USER.id).map((m) => [m.text, m.deletedAt !== undefined])).toEqual(
      Array.from({ length: 5 }, () => ['', true]),
    );
    expect(await store.userRecords(ana)).toEqual({
      memberships: [],
      reactions: [],
      threadReads: [],
      endedReads: [],
      reports: [],
      pushSubscriptions: [],
    });
  });

  it('leaves none of the messages readable when the erase races the person sending', async () => {
    const { chat, store, town, ana, anaSocket } = await setUp();
    // Sends past their checks when the erase disconnects the person are stored only after that:
    // the erase must wait for them before it looks for messages to delete.
    const disconnected = new Promise((resolve) => anaSocket.once('disconnect', resolve));
    let arrived!: () => void;
    const onTheirWay = new Promise<void>((resolve) => (arrived = resolve));
    const appendMessage = store.appendMessage.bind(store);
    store.appendMessage = async (draft) => {
      if (draft.user.id === ana) {
        arrived();
        await disconnected;
      }
      return appendMessage(draft);
    };
    const sends = Array.from({ length: 3 }, (_, i) =>
      request(anaSocket, 'message:send', { roomId: town, clientId: randomUUID(), text: `racing ${i}` }).catch(() => undefined),
    );
    await onTheirWay;
    await chat.eraseUser(ana);
    await Promise.all(sends);
    // The three were stored (beside the one of setUp), and none of them is readable: placeholders of ERASED_USER.
    expect(await store.userMessages(ana, { limit: 100 })).toEqual([]);
    const { messages } = await store.listMessages(town, { limit: 100 });
    expect(messages.filter((m) => m.user.id === ERASED_USER.id && m.deletedAt !== undefined && m.text === '')).toHaveLength(4);
  });
}

describe("a person's data (MemoryStore)", () => {
  userDataSuite(async () => new MemoryStore());
});

describe.skipIf(skipWithoutPostgres())("a person's data (PostgresStore)", () => {
  const schema = useTestSchema();
  userDataSuite(async () => new PostgresStore({ pool: schema.pool() }));

  it('fails an erase whose connection PostgreSQL drops while it waits, and a second run finishes it, nothing doubled', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    await store.init();
    const { chat, url } = await moderationChat({ store });
    await chat.ready();
    const town = `town-${randomUUID()}`;
    const ana = `ana-${randomUUID()}`;
    const [anaSocket] = await joined(url, town, ana);
    const mine: Message[] = [];
    for (let i = 0; i < 3; i++) mine.push(await sent(anaSocket, town, `mine ${i}`));
    // PostgreSQL slow: another transaction holds the second message's row, so the erase waits on it.
    const admin = new pg.Client({ connectionString: schema.connectionString });
    await admin.connect();
    track(() => admin.end());
    await admin.query('BEGIN');
    await admin.query('SELECT 1 FROM chat_messages WHERE id = $1 FOR UPDATE', [mine[1]!.id]);
    const adminPid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    // Its refusal is caught at once: it can come before the terminate's own answer (under load).
    const erasing = chat.eraseUser(ana).then(
      () => undefined,
      (error: unknown) => error,
    );
    const waiting = await waitFor(async () => {
      const { rows } = await store.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
        adminPid,
      ]);
      if (!rows[0]) throw new Error('the erase is not waiting yet');
      return rows[0].pid;
    });
    // ... then restarted under it: the erase's connection goes.
    await store.pool.query('SELECT pg_terminate_backend($1)', [waiting]);
    expect(await erasing).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('nothing of it was stored') });
    await admin.query('ROLLBACK');
    // The erase goes through the messages by id: those before the held one are placeholders of
    // ERASED_USER (hers no more), it and those after are as they were.
    const halfway = await store.userMessages(ana, { limit: 10 });
    expect(halfway.find((m) => m.id === mine[1]!.id)).toMatchObject({ text: mine[1]!.text });
    expect(halfway.filter((m) => m.deletedAt !== undefined)).toEqual([]);
    // Run again: it picks up where it stopped; each message is deleted once (one rev each).
    await chat.eraseUser(ana);
    expect(await store.userMessages(ana, { limit: 10 })).toEqual([]);
    const { messages } = await store.listMessages(town, { limit: 10 });
    expect(messages.map((m) => [m.user, m.text, m.deletedAt !== undefined])).toEqual(mine.map(() => [ERASED_USER, '', true]));
    expect(await store.roomRev(town)).toBe(3);
    expect(await store.userRecords(ana)).toEqual({
      memberships: [],
      reactions: [],
      threadReads: [],
      endedReads: [],
      reports: [],
      pushSubscriptions: [],
    });
  });
});

eachRedis("a person's data over one PostgreSQL", (redis, schema) => {
  it("erases from either process: the person's sockets on the other go, its members see the placeholders", async () => {
    const pool = schema.pool();
    const [a, b] = (await startClusterChats(2, { authenticate: passThrough }, redis(), () => new PostgresStore({ pool }))) as [
      TestChat,
      TestChat,
    ];
    const town = `town-${randomUUID()}`;
    const ana = `ana-${randomUUID()}`;
    const [anaSocket] = await joined(b.url, town, ana);
    const [watcher] = await joined(b.url, town, 'eva');
    const mine = await sent(anaSocket, town, 'hola');
    const placeholder = nextEvent(watcher, 'message:updated', (m) => m.id === mine.id && m.deletedAt !== undefined);
    const gone = new Promise<string>((resolve) => anaSocket.once('disconnect', resolve));
    await a.chat.eraseUser(ana);
    expect(await gone).toBe('io server disconnect');
    expect(await placeholder).toMatchObject({ id: mine.id, seq: mine.seq, text: '', user: ERASED_USER });
    expect(watcher.connected).toBe(true);
    expect(await b.chat.store.userMessages(ana, { limit: 10 })).toEqual([]);
  });
});
