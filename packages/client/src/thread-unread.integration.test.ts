import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStore, type ChatServerOptions } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { eachRedis, startClusterChats } from '../../../test-support/cluster.js';
import { waitFor } from '../../../test-support/wait.js';

// Unread per thread in the SDK: `thread.unread`, `thread.markRead()`, `room.threadUnread`, live,
// on every device of the reader, and exact after a reconnect of any length.

const limits = { messageBurst: 1000, messagesPerSecond: 1000, eventBurst: 10_000, eventsPerSecond: 10_000 };

/** Ana (two devices: one stays, one goes away) wrote the parent; Ben replies. */
async function setup(urls: [string, string]) {
  const guestKey = randomUUID();
  const ana = sdkClient(urls[0], { auth: { name: 'Ana', guestKey } });
  const anaAway = sdkClient(urls[1], { auth: { name: 'Ana', guestKey } });
  const ben = sdkClient(urls[1], { auth: { name: 'Ben' } });
  const roomId = `team-${randomUUID().slice(0, 8)}`;
  const [anaRoom, awayRoom, benRoom] = [await ana.join(roomId), await anaAway.join(roomId), await ben.join(roomId)];
  const parent = await anaRoom.send('Release on Friday?');
  await waitFor(() => expect(benRoom.messages.map((m) => m.id)).toContain(parent.id));
  await waitFor(() => expect(awayRoom.messages.map((m) => m.id)).toContain(parent.id));
  return { ana, anaAway, ben, roomId, anaRoom, awayRoom, benRoom, parent };
}

function suite(name: string, urls: () => Promise<[string, string]>) {
  describe(`unread per thread (${name})`, () => {
    it('counts replies of others live, marks a thread read on every device, and ends exact after being away', async () => {
      const { anaAway, anaRoom, awayRoom, benRoom, parent } = await setup(await urls());
      const anaThread = anaRoom.thread(parent.id);
      const benThread = benRoom.thread(parent.id);
      await benThread.ready();
      await benThread.send('Yes');
      await benThread.send({ text: 'Everyone: Friday', alsoInRoom: true });
      await benThread.send('After the freeze');
      // Ana wrote the parent: she takes part. The reply also in the room counts in the thread too.
      await waitFor(() => expect(anaRoom.threadUnread).toBe(3));
      await waitFor(() => expect(awayRoom.threadUnread).toBe(3));
      expect(anaThread.unread).toBe(3);
      expect(anaRoom.unreadCount).toBe(1);
      // Ben's own replies are read; reading the room's main log does not read the thread.
      expect(benRoom.threadUnread).toBe(0);
      await anaRoom.markRead();
      expect(anaRoom.threadUnread).toBe(3);

      // Ana's second device goes away; she reads the thread on the first, and Ben goes on.
      anaAway.socket.io.reconnection(false);
      anaAway.socket.io.engine.close();
      await waitFor(() => expect(anaAway.state).not.toBe('connected'));
      await anaThread.ready();
      const mark = await anaThread.markRead();
      expect(mark).toBe(anaThread.messages.at(-1)?.seq);
      expect([anaThread.unread, anaRoom.threadUnread]).toEqual([0, 0]);
      for (const text of ['Or Monday', 'Monday it is']) await benThread.send(text);
      await waitFor(() => expect(anaRoom.threadUnread).toBe(2));
      anaAway.socket.io.reconnection(true);
      anaAway.socket.connect();
      // The device that was away ends with what the one that stayed has.
      await waitFor(() => expect(awayRoom.threadUnread).toBe(anaRoom.threadUnread));
      expect(awayRoom.thread(parent.id).unread).toBe(2);
      // A reply of Ana's reads the thread up to it.
      await anaThread.send('Monday then');
      await waitFor(() => expect(anaRoom.threadUnread).toBe(0));
    }, 30_000);

    it("moves the unread of a thread live on the reader's other device, opened there or not", async () => {
      const { anaRoom, awayRoom, benRoom, parent } = await setup(await urls());
      const benThread = benRoom.thread(parent.id);
      await benThread.ready();
      for (const text of ['Yes', 'After the freeze', 'Or Monday']) await benThread.send(text);
      await waitFor(() => expect([anaRoom.threadUnread, awayRoom.threadUnread]).toEqual([3, 3]));

      // Read up to the first reply on one device: the other, with the thread not opened, has 2 left.
      const anaThread = anaRoom.thread(parent.id);
      await anaThread.ready();
      let told = 0;
      awayRoom.on('updated', () => told++);
      await anaThread.markRead(anaThread.messages[0]?.seq);
      await waitFor(() => expect(awayRoom.threadUnread).toBe(2));
      expect(told).toBeGreaterThan(0);
      expect(awayRoom.thread(parent.id).unread).toBe(2);

      // With the thread open there too: reading it to the end on the first device reads it on the second.
      const awayThread = awayRoom.thread(parent.id);
      await awayThread.ready();
      const updates: number[] = [];
      awayThread.on('updated', () => updates.push(awayThread.unread));
      await anaThread.markRead();
      await waitFor(() => expect([awayThread.unread, awayRoom.threadUnread]).toEqual([0, 0]));
      expect(updates).toContain(0);
      expect(anaRoom.threadUnread).toBe(0);
    }, 30_000);

    it('goes on counting, after a join, in a thread one entered by replying with nothing unread in it', async () => {
      const where = await urls();
      const { anaRoom, roomId, parent } = await setup(where);
      const guestKey = randomUUID();
      const cy = sdkClient(where[0], { auth: { name: 'Cy', guestKey } });
      const cyRoom = await cy.join(roomId);
      await cyRoom.thread(parent.id).send('I can do Friday');
      // Cy's other device joins: the join answer lists his thread (nothing unread), so it counts the next reply.
      const other = await sdkClient(where[1], { auth: { name: 'Cy', guestKey } }).join(roomId);
      expect(other.threadUnreadOf(parent.id)).toBe(0);
      await anaRoom.thread(parent.id).send('Friday it is');
      await waitFor(() => expect([cyRoom.threadUnreadOf(parent.id), other.threadUnreadOf(parent.id)]).toEqual([1, 1]));
      expect(other.threadUnread).toBe(1);
    }, 30_000);

    it('counts nothing in a thread one reads without taking part in it', async () => {
      const { anaRoom, benRoom, parent } = await setup(await urls());
      await anaRoom.thread(parent.id).send('Notes for Friday');
      const benThread = benRoom.thread(parent.id);
      await benThread.ready();
      await benThread.markRead();
      const next = await anaRoom.thread(parent.id).send('And the agenda');
      await waitFor(() => expect(benThread.messages.map((m) => m.id)).toContain(next.id));
      expect([benThread.unread, benRoom.threadUnread]).toEqual([0, 0]);
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
