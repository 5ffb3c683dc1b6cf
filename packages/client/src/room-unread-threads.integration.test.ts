import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore, type ChatServerOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import type { ChatClient } from '@chat/client';
import type { RoomSummary } from '@chat/protocol';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { eachRedis, startClusterChats } from '../../../test-support/cluster.js';
import { waitFor } from '../../../test-support/wait.js';

// A room's unread count is its log's: thread-only replies stay out of it, a reply sent
// `alsoInRoom` counts once there (as a room message), and a thread's unread counts every reply of
// it, `alsoInRoom` ones too. The same live, after a fresh join, in the conversations list and in
// `room:activity`, on both stores and across two processes.

const limits = { messageBurst: 1000, messagesPerSecond: 1000, eventBurst: 10_000, eventsPerSecond: 10_000 };

/** A client's conversations list as last emitted or loaded. */
const lists = new WeakMap<ChatClient, RoomSummary[]>();
async function loadList(client: ChatClient): Promise<void> {
  client.on('conversations', (list) => lists.set(client, list));
  lists.set(client, await client.conversations());
}

/** The counts of one room in a client's conversations list. */
function listed(client: ChatClient, roomId: string): { unread: number; threadUnread: number } | undefined {
  const summary = lists.get(client)?.find((s) => s.room.id === roomId);
  return summary && { unread: summary.unread, threadUnread: summary.threadUnread ?? 0 };
}

/**
 * Ana wrote the parent (on `urls[0]`, where a socket of hers outside the room lists her rooms);
 * Ben (on `urls[1]`) replies twice in the thread only, then once `alsoInRoom`.
 */
async function setup(urls: [string, string]) {
  const guestKey = randomUUID();
  const ana = sdkClient(urls[0], { auth: { name: 'Ana', guestKey } });
  const anaOutside = sdkClient(urls[0], { auth: { name: 'Ana', guestKey } });
  const ben = sdkClient(urls[1], { auth: { name: 'Ben' } });
  const roomId = `team-${randomUUID().slice(0, 8)}`;
  const [anaRoom, benRoom] = [await ana.join(roomId), await ben.join(roomId)];
  await loadList(anaOutside);
  const parent = await anaRoom.send('Release on Friday?');
  await waitFor(() => expect(listed(anaOutside, roomId)).toBeDefined());
  const benThread = benRoom.thread(parent.id);
  await benThread.ready();
  await benThread.send('Yes');
  await benThread.send('After the freeze');
  const also = await benThread.send({ text: 'Everyone: Friday', alsoInRoom: true });
  return { guestKey, urls, ana, anaOutside, ben, roomId, anaRoom, benRoom, benThread, parent, also };
}

function suite(name: string, urls: () => Promise<[string, string]>) {
  describe(`a room's unread count beside its threads (${name})`, () => {
    it('counts the room log only, live, in the list, after a fresh join and through room:activity', async () => {
      const { guestKey, anaOutside, ana, roomId, anaRoom, benRoom, parent, also, ...rest } = await setup(await urls());
      await waitFor(() => expect(anaRoom.messages.map((m) => m.id)).toEqual([parent.id, also.id]));
      // Live: one message of Ben's in the room's log; three replies of his in the thread.
      expect(anaRoom.unreadCount).toBe(1);
      await waitFor(() => expect(anaRoom.threadUnread).toBe(3));
      expect(anaRoom.thread(parent.id).unread).toBe(3);
      expect(benRoom.unreadCount).toBe(0);
      await loadList(ana);
      expect(listed(ana, roomId)).toEqual({ unread: 1, threadUnread: 3 });
      // A socket of Ana's outside the room: room:activity carries the server's counts.
      await waitFor(() => expect(listed(anaOutside, roomId)).toEqual({ unread: 1, threadUnread: 3 }));

      // A fresh join, and the server's list.
      const again = sdkClient(rest.urls[1], { auth: { name: 'Ana', guestKey } });
      const againRoom = await again.join(roomId);
      expect(againRoom.messages.map((m) => m.id)).toEqual([parent.id, also.id]);
      expect([againRoom.unreadCount, againRoom.threadUnread, againRoom.threadUnreadOf(parent.id)]).toEqual([1, 3, 3]);
      const fresh = sdkClient(rest.urls[1], { auth: { name: 'Ana', guestKey } });
      const summary = (await fresh.conversations()).find((s) => s.room.id === roomId);
      expect([summary?.unread, summary?.threadUnread]).toEqual([1, 3]);

      // Reading the room reads the reply in its log, not the thread; reading the thread reads all three.
      await anaRoom.markRead();
      expect([anaRoom.unreadCount, anaRoom.threadUnread]).toEqual([0, 3]);
      await waitFor(() => expect(listed(anaOutside, roomId)).toEqual({ unread: 0, threadUnread: 3 }));
      await waitFor(() => expect(againRoom.unreadCount).toBe(0));
      const anaThread = anaRoom.thread(parent.id);
      await anaThread.ready();
      await anaThread.markRead();
      expect([anaThread.unread, anaRoom.threadUnread, anaRoom.unreadCount]).toEqual([0, 0, 0]);
      await waitFor(() => expect(listed(anaOutside, roomId)).toEqual({ unread: 0, threadUnread: 0 }));
      await waitFor(() => expect(againRoom.threadUnread).toBe(0));
    }, 30_000);

    it('is exact after a fresh join whose first page does not reach the mark', async () => {
      const { guestKey, urls: u, roomId, benRoom, benThread } = await setup(await urls());
      // 60 more messages in the room's log, with 30 thread-only replies among them: more than a join's page.
      for (let i = 0; i < 60; i++) {
        await benRoom.send(`news ${i}`);
        if (i % 2 === 0) await benThread.send(`aside ${i}`);
      }
      const again = sdkClient(u[1], { auth: { name: 'Ana', guestKey } });
      const againRoom = await again.join(roomId);
      expect(againRoom.hasMoreHistory).toBe(true);
      expect([againRoom.unreadCount, againRoom.threadUnread]).toEqual([61, 33]);
      await againRoom.history();
      expect(againRoom.unreadCount).toBe(61);
      await benRoom.send('one more');
      await waitFor(() => expect(againRoom.unreadCount).toBe(62));

      // Away, then back: the re-join's catch-up counts what came meanwhile, replies in the thread apart.
      again.socket.io.reconnection(false);
      again.socket.io.engine.close();
      await waitFor(() => expect(again.state).not.toBe('connected'));
      await benThread.send('aside while away');
      await benRoom.send('news while away');
      await benThread.send({ text: 'both while away', alsoInRoom: true });
      const last = await benThread.send('last aside');
      again.socket.io.reconnection(true);
      again.socket.connect();
      await waitFor(() => expect(againRoom.threadUnread).toBe(36));
      await waitFor(() => expect(againRoom.messages.at(-1)?.text).toBe('both while away'));
      expect(againRoom.unreadCount).toBe(64);
      expect(againRoom.messages.map((m) => m.id)).not.toContain(last.id);
      await againRoom.markRead();
      expect([againRoom.unreadCount, againRoom.threadUnread]).toEqual([0, 36]);
    }, 30_000);
  });
}

suite('memory store', async () => {
  const { url } = await startChat({ store: new MemoryStore(), limits } satisfies ChatServerOptions);
  return [url, url];
});

describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
  const schema = useTestSchema();
  suite('PostgreSQL store', async () => {
    const store = new PostgresStore({ pool: schema.pool() });
    await store.init();
    const { url } = await startChat({ store, limits });
    return [url, url];
  });
});

eachRedis('one PostgreSQL schema', (redis, schema) => {
  suite('PostgreSQL store', async () => {
    const [a, b] = await startClusterChats(2, { limits }, redis(), () => new PostgresStore({ pool: schema.pool() }));
    return [a!.url, b!.url];
  });
});
