import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Attachment, Message } from '@chat/protocol';
import { createChatServer, diskUploads, MemoryStore, type ChatServer, type ChatStore } from '@chat/server';
import { createServer } from 'node:http';
import { PostgresStore } from '@chat/server/postgres';
import { awayAndBack, sdkClient, startChat, track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { skipWithoutPostgres, useTestSchema } from '../../../../../test-support/postgres.js';
import { newFileId } from '../../capabilities/uploads/file-names.js';

// Retention on a real server, over both stores: the timer deletes what is older than the server's
// days or a room's own, with its files; a client catching up while retention removes messages
// between two of its pages sees history start later, not a hole. Messages are aged by the clock
// each store stamps them with; the retention timer and sockets run for real.

const DAY = 86_400_000;
const bot = { id: 'bot', name: 'Bot' };

/** A file of `owner`'s in the uploads folder, as `POST /uploads` leaves it; returns its URL. */
async function storedFile(dir: string, owner: string): Promise<string> {
  const id = newFileId();
  await writeFile(join(dir, `${id}.png`), 'png bytes');
  await writeFile(
    join(dir, `${id}.json`),
    JSON.stringify({ file: `${id}.png`, type: 'image/png', name: 'a.png', size: 9, userId: owner, createdAt: new Date().toISOString() }),
  );
  return `http://chat.example/uploads/${id}.png`;
}

/** Sends a message as stored `ageMs` ago (each store keeps its own clock: see the two suites). */
type SendAged = (chat: ChatServer, roomId: string, ageMs: number, text: string, more?: MoreInput) => Promise<Message>;
/** What a message may carry beside its text: files, the thread it answers. */
type MoreInput = { attachments?: Attachment[]; threadOf?: string };

function retentionSuite(makeStore: () => Promise<ChatStore>, sendAged: SendAged): void {
  it("deletes messages older than the server's days, or a room's own, with their files, on its timer", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retention-'));
    track(() => rm(dir, { recursive: true, force: true }));
    const store = await makeStore();
    const { chat } = await startChat({ store, uploads: diskUploads({ dir }), retention: { days: 2, intervalMs: 100 } });
    await chat.ready();
    await chat.createRoom({ id: 'short' });
    await chat.createRoom({ id: 'long', options: { retentionDays: 30 } });
    await chat.createRoom({ id: 'shorter', options: {} });
    await chat.updateRoom('shorter', { options: { retentionDays: 1 } });
    const url = await storedFile(dir, bot.id);
    // A message may carry a URL with a broken escape: it names no stored file, and the next one still goes.
    const broken = { url: 'http://chat.example/uploads/%E0%A4%A', type: 'image/png' };
    const old = await sendAged(chat, 'short', 2.5 * DAY, 'old', { attachments: [broken, { url, type: 'image/png' }] });
    await sendAged(chat, 'long', 2.5 * DAY, 'kept for 30 days');
    await sendAged(chat, 'shorter', 1.5 * DAY, 'a day and a half old');
    await sendAged(chat, 'short', DAY, 'young');

    await waitFor(async () => expect((await store.listMessages('short', { limit: 10 })).messages.map((m) => m.text)).toEqual(['young']));
    await waitFor(async () => expect((await store.listMessages('shorter', { limit: 10 })).messages).toEqual([]));
    expect((await store.listMessages('long', { limit: 10 })).messages.map((m) => m.text)).toEqual(['kept for 30 days']);
    expect(await store.getMessage('short', old.id)).toBeNull();
    // No file is left (the uploads' folders of markers and records may stay, empty).
    await waitFor(async () => expect((await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())).toEqual([]));
    expect((await store.listMessages('short', { after: 0, limit: 10 })).historyStart).toBe(2);
  });

  it("removes the files of the thread replies it deletes, the bytes too, and keeps a kept reply's", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retention-'));
    track(() => rm(dir, { recursive: true, force: true }));
    const store = await makeStore();
    // The room keeps everything until its replies are in (PostgreSQL ages a row after its send).
    const { chat } = await startChat({ store, uploads: diskUploads({ dir }), retention: { intervalMs: 100 } });
    await chat.ready();
    await chat.createRoom({ id: 'threads' });
    const [oldUrl, youngUrl] = [await storedFile(dir, bot.id), await storedFile(dir, bot.id)];
    const parent = await sendAged(chat, 'threads', 3 * DAY, 'parent');
    await sendAged(chat, 'threads', 2.5 * DAY, 'old reply', { threadOf: parent.id, attachments: [{ url: oldUrl, type: 'image/png' }] });
    await sendAged(chat, 'threads', DAY, 'young reply', { threadOf: parent.id, attachments: [{ url: youngUrl, type: 'image/png' }] });
    await chat.updateRoom('threads', { options: { retentionDays: 2 } });

    await waitFor(async () => expect((await store.listMessages('threads', { limit: 10 })).messages.map((m) => m.text)).toEqual([]));
    const kept = (await store.listMessages('threads', { threadOf: parent.id, limit: 10 })).messages;
    expect(kept.map((m) => m.text)).toEqual(['young reply']);
    const stored = (url: string) => url.split('/').at(-1)?.split('.')[0] ?? '';
    await waitFor(async () => expect((await readdir(dir)).some((n) => n.startsWith(stored(oldUrl)))).toBe(false));
    expect((await readdir(dir)).filter((n) => n.startsWith(stored(youngUrl)))).toHaveLength(2);
  });

  it('lets a client page back to where history starts now, and no further: hasMore ends, no gap', async () => {
    const store = await makeStore();
    const { chat, url } = await startChat({ store, limits: { maxHistoryPage: 4, defaultHistoryPage: 4 } });
    await chat.ready();
    await chat.createRoom({ id: 'horizon' });
    for (let i = 1; i <= 12; i++) await chat.sendMessage('horizon', { user: bot, text: `m${i}` });
    const client = sdkClient(url);
    const room = await client.join('horizon');
    const gaps: unknown[] = [];
    room.on('discontinuity', (d) => gaps.push(d));
    expect(room.messages.map((m: Message) => m.seq)).toEqual([9, 10, 11, 12]);
    // Retention removes seqs 1-6 while the client holds 9-12; it pages back until told there is no more.
    await store.expireMessages('horizon', new Date(Date.now() + DAY).toISOString(), 6);
    let pages = 0;
    while (room.hasMoreHistory && pages < 10) {
      await room.history();
      pages++;
    }
    expect(room.hasMoreHistory).toBe(false);
    expect(room.messages.map((m: Message) => m.seq)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(gaps).toEqual([]);
  });

  it('lets a client catch up while retention removes messages between two of its pages: history starts later, no gap', async () => {
    const store = await makeStore();
    const { chat, url } = await startChat({ store, limits: { maxHistoryPage: 5, defaultHistoryPage: 5 } });
    await chat.ready();
    const client = sdkClient(url);
    const room = await client.join('race');
    const gaps: unknown[] = [];
    room.on('discontinuity', (d) => gaps.push(d));
    for (let i = 1; i <= 3; i++) await chat.sendMessage('race', { user: bot, text: `m${i}` });
    await waitFor(() => expect(room.messages).toHaveLength(3));

    // The first page of the catch-up is read, then retention removes up to seq 15 before the next.
    const listMessages = store.listMessages.bind(store);
    let raced = false;
    const asked: number[] = [];
    store.listMessages = async (roomId, query) => {
      if (query.after !== undefined) asked.push(query.after);
      const page = await listMessages(roomId, query);
      if (roomId === 'race' && query.after === 3 && !raced) {
        raced = true;
        await store.expireMessages('race', new Date(Date.now() + DAY).toISOString(), 15);
      }
      return page;
    };
    await awayAndBack(chat, 'race', async () => {
      for (let i = 4; i <= 23; i++) await chat.sendMessage('race', { user: bot, text: `m${i}` });
    });
    await waitFor(() => expect(room.messages.map((m: Message) => m.seq).at(-1)).toBe(23));
    expect(raced).toBe(true);
    const seqs = room.messages.map((m: Message) => m.seq);
    // What the client held, the first page (4-8) read before the removal, then 16 on.
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 19, 20, 21, 22, 23]);
    // A broadcast lost now makes the gap filler look for a hole: it must look after 23 (the removed
    // seqs are no hole), fill it, and report nothing lost.
    asked.length = 0;
    await chat.store.appendMessage({ roomId: 'race', clientId: 'lost', user: bot, text: 'lost', attachments: [] });
    await chat.sendMessage('race', { user: bot, text: 'live' });
    await waitFor(() => expect(room.messages.map((m: Message) => m.text).slice(-2)).toEqual(['lost', 'live']));
    expect(asked).toEqual([23]);
    expect(gaps).toEqual([]);
  });
}

describe('retention: bad input', () => {
  it('refuses a bad retention option before attaching anything, and a bad room option with VALIDATION_FAILED', async () => {
    const http = createServer();
    for (const retention of [{ days: 0 }, { days: 1.5 }, { days: 36_501 }, { intervalMs: 0 }, { batchSize: 0 }]) {
      expect(() => createChatServer(http, { retention })).toThrow(TypeError);
    }
    expect(() => createChatServer(http, { retention: { days: 0 } })).toThrow(
      'retention.days must be a whole number of days from 1 to 36500.',
    );
    // Nothing was attached to the host's server.
    expect(http.listenerCount('request')).toBe(0);
    const { chat } = await startChat();
    for (const retentionDays of [0, -1, 2.5, 36_501, '7'])
      await expect(chat.createRoom({ options: { retentionDays } as never })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(chat.createRoom({ id: 'kept', options: { retentionDays: 7 } })).resolves.toMatchObject({ options: { retentionDays: 7 } });
  });
});

describe('retention (MemoryStore)', () => {
  // MemoryStore stamps messages with the process's clock: only Date is faked, for the send.
  retentionSuite(
    async () => new MemoryStore(),
    async (chat, roomId, ageMs, text, more = {}) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() - ageMs);
      try {
        return await chat.sendMessage(roomId, { user: bot, text, ...more });
      } finally {
        vi.useRealTimers();
      }
    },
  );
});

describe.skipIf(skipWithoutPostgres())('retention (PostgresStore)', () => {
  const schema = useTestSchema();
  let store: PostgresStore | undefined;
  // PostgresStore stamps messages with the database's clock: the row is aged where it is kept.
  retentionSuite(
    async () => (store = new PostgresStore({ pool: schema.pool() })),
    async (chat, roomId, ageMs, text, more = {}) => {
      const message = await chat.sendMessage(roomId, { user: bot, text, ...more });
      await store?.pool.query(`UPDATE chat_messages SET created_at = created_at - $2 * interval '1 millisecond' WHERE id = $1`, [
        message.id,
        ageMs,
      ]);
      return message;
    },
  );
});
