import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { MemoryStore, type ChatServerOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { eachRedis, startClusterChats } from '../../../test-support/cluster.js';
import { waitFor } from '../../../test-support/wait.js';
import type { ChatThread } from './chat-thread.js';

/** What two views of a thread must agree on: each reply as stored, and the parent's summary. */
const shape = (thread: ChatThread) => ({
  replies: thread.messages.map((m) => ({ id: m.id, seq: m.seq, text: m.text, rev: m.rev, deleted: m.deletedAt !== undefined })),
  count: thread.summary?.replyCount,
  participants: thread.summary?.participants.map((u) => u.name),
});

const limits = { messageBurst: 1000, messagesPerSecond: 1000, eventBurst: 10_000, eventsPerSecond: 10_000, defaultHistoryPage: 4 };

/** Two people in a room with a parent message: Ana (who wrote it) and Ben. */
async function twoInARoom(options: ChatServerOptions) {
  const site = await startChat({ ...options, limits });
  const ana = sdkClient(site.url, { auth: { name: 'Ana' } });
  const ben = sdkClient(site.url, { auth: { name: 'Ben' } });
  // A room of its own: the PostgreSQL suite's tests share one schema.
  const roomId = `team-${Math.random().toString(36).slice(2, 8)}`;
  const anaRoom = await ana.join(roomId);
  const benRoom = await ben.join(roomId);
  const parent = await anaRoom.send('Release on Friday?');
  await waitFor(() => expect(benRoom.messages.map((m) => m.id)).toContain(parent.id));
  return { ...site, roomId, ana, ben, anaRoom, benRoom, parent };
}

function suite(name: string, store: () => Promise<ChatServerOptions['store']>) {
  describe(`threads (${name})`, () => {
    it('replies go to the thread, live on both sides, out of the main log; the parent counts them', async () => {
      const { anaRoom, benRoom, parent } = await twoInARoom({ store: await store() });
      const anaThread = anaRoom.thread(parent.id);
      const benThread = benRoom.thread(parent.id);
      expect(anaRoom.thread(parent.id)).toBe(anaThread);
      await Promise.all([anaThread.ready(), benThread.ready()]);
      expect(anaThread.messages).toEqual([]);

      const heard: string[] = [];
      const off = benThread.on('message', (m) => heard.push(m.text));
      const roomHeard: string[] = [];
      benRoom.on('message', (m) => roomHeard.push(m.text));
      const first = await anaThread.send('Yes, after the freeze');
      expect(first.threadOf).toBe(parent.id);
      await benThread.send({ text: 'Works for me', mentions: [] });
      await benThread.send({ text: 'Telling everyone', alsoInRoom: true });
      await anaRoom.send('Unrelated, in the room');

      await waitFor(() => expect(heard).toEqual(['Yes, after the freeze', 'Works for me', 'Telling everyone']));
      await waitFor(() => expect(shape(benThread)).toEqual(shape(anaThread)));
      expect(anaThread.messages.map((m) => m.text)).toEqual(['Yes, after the freeze', 'Works for me', 'Telling everyone']);
      // Replies stay out of the room's log, but one sent `alsoInRoom`.
      await waitFor(() =>
        expect(benRoom.messages.map((m) => m.text)).toEqual(['Release on Friday?', 'Telling everyone', 'Unrelated, in the room']),
      );
      expect(roomHeard).toEqual(['Telling everyone', 'Unrelated, in the room']);
      // The parent's summary, kept current from message:updated, in the room and the thread.
      await waitFor(() => expect(benThread.summary?.replyCount).toBe(3));
      expect(benRoom.messages[0]?.thread?.replyCount).toBe(3);
      expect(benThread.summary?.participants.map((u) => u.name)).toEqual(['Ana', 'Ben']);
      expect(anaThread.outbox).toEqual([]);
      expect(benRoom.outbox).toEqual([]);
      off();
    });

    it('pages older replies with history(), as the room does', async () => {
      const { chat, roomId, benRoom, parent } = await twoInARoom({ store: await store() });
      const bot = { id: 'bot', name: 'Bot' };
      for (let i = 1; i <= 10; i++) await chat.sendMessage(roomId, { user: bot, text: `reply ${i}`, threadOf: parent.id });
      const thread = benRoom.thread(parent.id);
      await thread.ready();
      expect(thread.messages.map((m) => m.text)).toEqual(['reply 7', 'reply 8', 'reply 9', 'reply 10']);
      expect(thread.hasMoreHistory).toBe(true);
      while (thread.hasMoreHistory) await thread.history();
      expect(thread.messages.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `reply ${i + 1}`));
      expect(new Set(thread.messages.map((m) => m.seq)).size).toBe(10);
    });

    it('a reader who was away ends with the same thread as one who stayed (new, edited and deleted replies)', async () => {
      const { chat, roomId, ben, anaRoom, benRoom, parent } = await twoInARoom({ store: await store() });
      const anaThread = anaRoom.thread(parent.id);
      const benThread = benRoom.thread(parent.id);
      await Promise.all([anaThread.ready(), benThread.ready()]);
      const early: Message[] = [];
      for (let i = 1; i <= 6; i++) early.push(await anaThread.send(`before ${i}`));
      await waitFor(() => expect(benThread.messages).toHaveLength(6));
      const gaps: unknown[] = [];
      benRoom.on('discontinuity', (d) => gaps.push(d));
      const told: string[] = [];
      benThread.on('message', (m) => told.push(m.text));

      // Ben's connection drops and stays away while Ana (who stays) and a bot go on.
      ben.socket.io.reconnection(false);
      ben.socket.io.engine.close();
      await waitFor(() => expect(ben.state).not.toBe('connected'));
      // More than a page of new replies, an edit and a delete of replies Ben holds, and room messages between them.
      for (let i = 1; i <= 9; i++) {
        await chat.sendMessage(roomId, { user: { id: 'bot', name: 'Bot' }, text: `away ${i}`, threadOf: parent.id });
        if (i % 3 === 0) await chat.sendMessage(roomId, { user: { id: 'bot', name: 'Bot' }, text: `room ${i}` });
      }
      await anaRoom.edit(early[1]!.id, 'before 2, edited');
      await anaRoom.delete(early[2]!.id);
      await waitFor(() => expect(anaThread.messages).toHaveLength(15));
      await waitFor(() => expect(anaThread.summary?.replyCount).toBe(15));
      ben.socket.io.reconnection(true);
      ben.socket.connect();
      await waitFor(() => expect(shape(benThread)).toEqual(shape(anaThread)));
      expect(benThread.messages.map((m) => m.text)).toEqual([
        'before 1',
        'before 2, edited',
        '',
        'before 4',
        'before 5',
        'before 6',
        ...Array.from({ length: 9 }, (_, i) => `away ${i + 1}`),
      ]);
      expect(told).toEqual(Array.from({ length: 9 }, (_, i) => `away ${i + 1}`));
      expect(benThread.summary?.replyCount).toBe(15);
      await waitFor(() => expect(benRoom.messages.map((m) => m.text)).toEqual(['Release on Friday?', 'room 3', 'room 6', 'room 9']));
      // The seqs the replies took are not holes in the room's log.
      expect(gaps).toEqual([]);
    }, 30_000);

    it('a reply sent while offline waits in the outbox and is stored once after the reconnect', async () => {
      const { url, roomId, anaRoom, parent } = await twoInARoom({ store: await store() });
      const cara = sdkClient(url, { auth: { name: 'Cara' }, socketOptions: { reconnectionDelay: 300, reconnectionDelayMax: 300 } });
      const caraRoom = await cara.join(roomId);
      const thread = caraRoom.thread(parent.id);
      await thread.ready();
      cara.socket.io.engine.close();
      expect(cara.state).toBe('reconnecting');
      const sent = thread.send('from the train');
      expect(thread.outbox.map((e) => [e.text, e.status])).toEqual([['from the train', 'pending']]);
      expect(caraRoom.outbox).toEqual([]);
      const stored = await sent;
      expect(stored.threadOf).toBe(parent.id);
      const anaThread = anaRoom.thread(parent.id);
      await waitFor(() => expect(anaThread.messages.map((m) => m.text)).toEqual(['from the train']));
      await waitFor(() => expect(thread.messages.map((m) => m.id)).toEqual([stored.id]));
      expect(thread.outbox).toEqual([]);
      expect(anaThread.summary?.replyCount).toBe(1);
    });

    it('a thread of an unknown message says so, and a reply to it is refused without losing anything', async () => {
      const { benRoom, parent } = await twoInARoom({ store: await store() });
      const thread = benRoom.thread('no-such-message');
      await expect(thread.ready()).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
      await expect(thread.send('hello?')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
      expect(thread.outbox.map((e) => e.status)).toEqual(['failed']);
      benRoom.discard(thread.outbox[0]!.clientId);
      expect(benRoom.messages.map((m) => m.id)).toEqual([parent.id]);
      // A thread closed and opened again is a new one, loaded afresh.
      const real = benRoom.thread(parent.id);
      real.close();
      expect(benRoom.thread(parent.id)).not.toBe(real);
      // A room left has no thread to load: it says so.
      await benRoom.leave();
      await expect(benRoom.thread(parent.id).ready()).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
      await expect(benRoom.thread(parent.id).send('too late')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    });
  });
}

suite('memory store', () => Promise.resolve(new MemoryStore()));

describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
  const schema = useTestSchema();
  suite('PostgreSQL store', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    await store.init();
    return store;
  });
});

eachRedis('threads on one PostgreSQL store', (redis, schema) => {
  it('people on different processes replying at once end with the same thread and the exact count', async () => {
    const [a, b] = await startClusterChats(2, { limits }, redis(), () => new PostgresStore({ pool: schema.pool() }));
    const ana = sdkClient(a!.url, { auth: { name: 'Ana' } });
    const ben = sdkClient(b!.url, { auth: { name: 'Ben' } });
    const anaRoom = await ana.join('cluster-team');
    const benRoom = await ben.join('cluster-team');
    const parent = await anaRoom.send('Who is on call?');
    await waitFor(() => expect(benRoom.messages.map((m) => m.id)).toEqual([parent.id]));
    const anaThread = anaRoom.thread(parent.id);
    const benThread = benRoom.thread(parent.id);
    await Promise.all([anaThread.ready(), benThread.ready()]);
    await Promise.all(Array.from({ length: 10 }, (_, i) => [anaThread.send(`ana ${i}`), benThread.send(`ben ${i}`)]).flat());
    await waitFor(() => expect(anaThread.messages).toHaveLength(20));
    await waitFor(() => expect(shape(benThread)).toEqual(shape(anaThread)));
    // Each process's copy of the parent comes to the other through Redis: Ana's last count may come after Ben's.
    await waitFor(() => expect([benThread.summary?.replyCount, anaThread.summary?.replyCount]).toEqual([20, 20]));
    expect(benRoom.messages.map((m) => m.text)).toEqual(['Who is on call?']);
  }, 30_000);
});
