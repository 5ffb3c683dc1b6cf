import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { MemoryStore, type ChatStore } from '@chat/server';
import { PostgresStore } from '@chat/server/postgres';
import { skipWithoutPostgres, useTestSchema } from '../../../test-support/postgres.js';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { Gate } from '../../../test-support/gate.js';

// Attack round 2 (issue 14): the SDK while the connection comes and goes, with work under way.

// 50 messages queued at once, the transport cut again and again while they drain: each is
// stored once, in the order sent, and the room holds exactly what the server holds.
async function outboxThroughStorm(store: ChatStore): Promise<void> {
  const { url, chat } = await startChat({ store, limits: { messageBurst: 1000, messagesPerSecond: 1000 } });
  const client = sdkClient(url, { auth: { name: 'Ana', guestKey: 'ana-guest-key-0123456789' } });
  const room = await client.join('storm');
  const sends: Array<Promise<Message>> = [];
  for (let i = 0; i < 50; i++) sends.push(room.send(`m${i}`));
  let acked = 0;
  for (const s of sends) void s.then(() => acked++);
  for (let cut = 0; cut < 8; cut++) {
    await waitFor(() => expect(client.state).toBe('connected'));
    await waitFor(() => expect(acked > cut * 5 || acked === 50).toBe(true));
    if (cut % 2 === 0) client.socket.io.engine.close();
    else for (const s of chat.io.of('/').sockets.values()) s.conn.close();
  }
  const sent = await Promise.all(sends);
  expect(sent.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  const stored = await chat.store.listMessages('storm', { limit: 100 });
  expect(stored.messages.map((m) => m.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  await waitFor(() => expect(room.messages.map((m) => m.id)).toEqual(stored.messages.map((m) => m.id)));
  expect(room.outbox).toEqual([]);
  // The last cut's catch-up may still be under way when the acks have filled the list.
  await waitFor(() => expect(room.state).toBe('joined'));
  expect(room.messages.map((m) => m.id)).toEqual(stored.messages.map((m) => m.id));
}

describe('a reconnect storm while an outbox of 50 drains', () => {
  it('on the memory store', async () => {
    await outboxThroughStorm(new MemoryStore());
  });
  describe.skipIf(skipWithoutPostgres())('on PostgreSQL', () => {
    const schema = useTestSchema();
    it('on the PostgreSQL store', async () => {
      const store = new PostgresStore({ pool: schema.pool() });
      await store.init();
      await outboxThroughStorm(store);
    });
  });
});

describe('setAuth() while the connection drops', () => {
  it('keeps the new token for the reconnect (the old one may be revoked by then)', async () => {
    const refresh = new Gate();
    let t1Valid = true;
    let refreshing = false;
    const { url } = await startChat({
      authenticate: async (h) => {
        const token = String(h.auth['token']);
        if (token === 't2') {
          refreshing = true;
          await refresh.wait();
        }
        if (token === 't2' || (token === 't1' && t1Valid)) return { id: 'ana', name: 'Ana' };
        throw Object.assign(new Error('bad token'), { code: 'UNAUTHENTICATED' });
      },
    });
    const client = sdkClient(url, { auth: { token: 't1' } });
    const room = await client.join('r');
    refresh.close();
    const setting = client.setAuth({ token: 't2' }).catch((error: unknown) => error);
    await waitFor(() => expect(refreshing).toBe(true)); // the server is checking t2
    t1Valid = false;
    client.socket.io.engine.close();
    refresh.open();
    await setting;
    await waitFor(() => expect(client.state).toBe('connected'));
    await waitFor(() => expect(room.state).toBe('joined'));
  });
});

describe('join() while the connection drops', () => {
  it('twice, across the reconnect: resolves once connected again, one room', async () => {
    const joins = new Gate();
    let held = 0;
    const { url } = await startChat({
      authorize: async (action) => {
        if (action === 'room:join') {
          held++;
          await joins.wait();
        }
        return true;
      },
    });
    const client = sdkClient(url);
    await waitFor(() => expect(client.state).toBe('connected'));
    joins.close();
    const first = client.join('j');
    await waitFor(() => expect(held).toBe(1)); // the join is on the server, held
    client.socket.io.engine.close();
    const second = client.join('j');
    joins.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a.state).toBe('joined');
    expect(client.rooms).toEqual([a]);
  });
});
