import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatErrorData } from '@chat/protocol';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { clusterPrefix, ghostProcess, pickRoom, shardsOf, startShardedChats } from './sharded-fixtures.js';
import { redisClusterMissing, startRedisCluster, type LocalRedisCluster } from '../../../../test-support/redis-cluster.js';
import { useTestSchema } from '../../../../test-support/postgres.js';
import { rawSocket, request, sdkClient } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const missing = redisClusterMissing() ?? (process.env['DATABASE_URL'] ? undefined : 'no DATABASE_URL');

// Two chat servers in this process on a local Redis Cluster (three primaries, three replicas),
// as two processes would be: the behaviour the single-Redis suites check, on rooms whose keys
// are served by different primaries.
describe.skipIf(missing !== undefined)('redisCluster on a Redis Cluster (two servers, three shards)', () => {
  const schema = useTestSchema();
  let cluster: LocalRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 30_000);
  afterAll(() => cluster?.stop());

  const store = () => new PostgresStore({ pool: schema.pool() });

  /** Two rooms whose own slots and presence buckets are on different primaries. */
  async function roomsApart(prefix: string, base: string): Promise<[string, string]> {
    const first = await pickRoom(`${base}-a`, async () => true);
    const at = await shardsOf(cluster, prefix, first);
    const second = await pickRoom(`${base}-b`, async (id) => {
      const other = await shardsOf(cluster, prefix, id);
      return other.room !== at.room && other.presence !== at.presence;
    });
    return [first, second];
  }

  it('delivers, shows presence, statuses and typing, and keeps names unique across servers, in rooms on different shards', async () => {
    const prefix = clusterPrefix();
    const [a, b] = await startShardedChats(cluster, { store, typingTimeoutMs: 2000 }, { keyPrefix: prefix });
    const ana = sdkClient(a.url, { auth: { name: 'Ana' } });
    const luis = sdkClient(b.url, { auth: { name: 'Luis' }, typingThrottleMs: 0 });
    for (const roomId of await roomsApart(prefix, 'town')) {
      const anaIn = await ana.join(roomId);
      const luisIn = await luis.join(roomId);
      expect(luisIn.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']);
      await waitFor(() => expect(anaIn.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));

      const sent = await anaIn.send(`across processes in ${roomId}`);
      await waitFor(() => expect(luisIn.messages.map((m) => m.id)).toEqual([sent.id]));
      luisIn.typing();
      await waitFor(() => expect(anaIn.typingUsers.map((u) => u.name)).toEqual(['Luis']));

      const impostor = await rawSocket(b.url, { name: 'ana' });
      expect(await request(impostor, 'room:join', { roomId })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
      const bot = await b.chat.sendMessage(roomId, { user: { id: 'bot', name: 'Bot' }, text: 'from b' });
      await waitFor(() => expect(anaIn.messages.map((m) => m.id)).toContain(bot.id));
    }
    // A status lives with the user (another slot than the rooms): a member list shows it.
    await ana.setStatus('busy', 'In a meeting');
    const late = await sdkClient(b.url, { auth: { name: 'Late' } }).join((await roomsApart(prefix, 'town'))[1]);
    expect(late.members.find((m) => m.name === 'Ana')).toMatchObject({ status: 'busy', statusText: 'In a meeting' });
  });

  it('a user with tabs on both servers is one member, who leaves with the last tab', async () => {
    const prefix = clusterPrefix();
    const [a, b] = await startShardedChats(cluster, { store }, { keyPrefix: prefix });
    const [roomId] = await roomsApart(prefix, 'tabs');
    const watcher = await sdkClient(a.url, { auth: { name: 'Watcher' } }).join(roomId);
    const auth = { name: 'Eva', guestKey: 'eva-guest-key-0123456789' };
    const tab1 = await rawSocket(a.url, auth);
    const tab2 = await rawSocket(b.url, auth);
    expect(await request(tab1, 'room:join', { roomId })).toMatchObject({ ok: true });
    expect(await request(tab2, 'room:join', { roomId })).toMatchObject({ ok: true });
    await waitFor(() => expect(watcher.members.map((m) => m.name).sort()).toEqual(['Eva', 'Watcher']));
    const evaId = watcher.members.find((m) => m.name === 'Eva')?.id as string;
    tab1.disconnect();
    // Still online (a socket on b), and still in the room.
    await waitFor(async () => expect((await a.chat.presenceOf([evaId]))[0]).toMatchObject({ online: true }));
    expect(watcher.members.map((m) => m.name).sort()).toEqual(['Eva', 'Watcher']);
    tab2.disconnect();
    await waitFor(() => expect(watcher.members.map((m) => m.name)).toEqual(['Watcher']));
    await waitFor(async () => expect((await a.chat.presenceOf([evaId]))[0]).toMatchObject({ online: false }));
  });

  it('ephemeral rooms on different shards each share one seq across servers; reactions count once', async () => {
    const prefix = clusterPrefix();
    const [a, b] = await startShardedChats(cluster, { store }, { keyPrefix: prefix });
    for (const roomId of await roomsApart(prefix, 'eph')) {
      await a.chat.createRoom({ id: roomId, options: { ephemeral: true } });
      const ana = await sdkClient(a.url, { auth: { name: 'Ana' } }).join(roomId);
      const luis = await sdkClient(b.url, { auth: { name: 'Luis' } }).join(roomId);
      const first = await ana.send('one');
      const second = await luis.send({ text: 'two', replyTo: first.id });
      expect([first.seq, second.seq]).toEqual([1, 2]);
      await waitFor(() => expect(ana.messages.map((m) => m.text)).toEqual(['one', 'two']));
      await Promise.all([ana.react(first.id, '👍'), luis.react(first.id, '👍')]);
      await waitFor(() => expect(ana.messages[0]?.reactions?.['👍']?.count).toBe(2));
    }
  });

  it('a user message rate is one budget over both servers', async () => {
    const prefix = clusterPrefix();
    const limits = { messageBurst: 3, messagesPerSecond: 0.001 };
    const [a, b] = await startShardedChats(cluster, { store, limits }, { keyPrefix: prefix });
    const [roomId] = await roomsApart(prefix, 'rate');
    const auth = { name: 'Flood', guestKey: 'flood-guest-key-0123456789' };
    const tabs = [await rawSocket(a.url, auth), await rawSocket(b.url, auth)];
    for (const tab of tabs) expect(await request(tab, 'room:join', { roomId })).toMatchObject({ ok: true });
    const results: Array<{ ok: boolean; error?: ChatErrorData }> = [];
    for (let i = 0; i < 4; i++)
      results.push(await request(tabs[i % 2] as (typeof tabs)[0], 'message:send', { roomId, clientId: randomUUID(), text: `m${i}` }));
    expect(results.map((r) => (r.ok ? 'ok' : r.error?.code))).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
  });

  it('room:activity reaches a member’s socket outside the rooms, on the other server, for messages sent at once in rooms on different shards', async () => {
    const prefix = clusterPrefix();
    const [a, b] = await startShardedChats(cluster, { store }, { keyPrefix: prefix });
    const rooms = await roomsApart(prefix, 'inbox');
    const ana = { name: 'Ana', guestKey: 'ana-guest-key-0123456789' };
    const [anaInRooms, anaInbox] = [await rawSocket(a.url, ana), await rawSocket(b.url, ana)];
    const luis = await rawSocket(b.url, { name: 'Luis', guestKey: 'luis-guest-key-0123456789' });
    for (const roomId of rooms) {
      for (const socket of [anaInRooms, luis]) expect(await request(socket, 'room:join', { roomId })).toMatchObject({ ok: true });
    }
    const heard = (socket: typeof luis) => {
      const events: Array<{ roomId: string; unread: number }> = [];
      socket.on('room:activity', (event: { roomId: string; unread: number }) => events.push(event));
      return events;
    };
    const [inbox, inRooms] = [heard(anaInbox), heard(anaInRooms)];
    // Sent together, their checks of who is online outside the room are read together.
    const sends = rooms.flatMap((roomId) =>
      [1, 2, 3].map((n) => request(luis, 'message:send', { roomId, clientId: randomUUID(), text: `${roomId} ${n}` })),
    );
    for (const result of await Promise.all(sends)) expect(result).toMatchObject({ ok: true });
    for (const roomId of rooms) {
      await waitFor(() => expect(Math.max(...inbox.filter((e) => e.roomId === roomId).map((e) => e.unread))).toBe(3));
    }
    expect(inRooms).toEqual([]);
  });

  it('a dead process is reaped in every presence bucket: its members leave rooms on every shard and go offline', async () => {
    const prefix = clusterPrefix();
    const [a, b] = await startShardedChats(cluster, { store }, { keyPrefix: prefix });
    const rooms = await roomsApart(prefix, 'reap');
    const ghost = { id: 'ghost-user', name: 'Ghost' };
    await ghostProcess(cluster, prefix, rooms, ghost);
    const watcher = sdkClient(b.url, { auth: { name: 'Watcher' } });
    const joined = await Promise.all(rooms.map((id) => watcher.join(id)));
    for (const room of joined) {
      // Listed while fresh, or already reaped: never listed twice, and gone in the end.
      await waitFor(() => expect(room.members.map((m) => m.name)).toEqual(['Watcher']));
    }
    await waitFor(async () => expect((await a.chat.presenceOf([ghost.id]))[0]).toMatchObject({ online: false }));
  });

  it('close() on one server takes its members out of the others at once', async () => {
    const prefix = clusterPrefix();
    const [a, b] = await startShardedChats(cluster, { store }, { keyPrefix: prefix, staleAfterMs: 60_000 });
    const rooms = await roomsApart(prefix, 'bye');
    const watcher = sdkClient(b.url, { auth: { name: 'Watcher' } });
    const leaver = sdkClient(a.url, { auth: { name: 'Leaver' }, socketOptions: { reconnection: false } });
    const watched = [];
    for (const roomId of rooms) {
      watched.push(await watcher.join(roomId));
      await leaver.join(roomId);
    }
    for (const room of watched) await waitFor(() => expect(room.members).toHaveLength(2));
    await a.chat.close();
    for (const room of watched) await waitFor(() => expect(room.members.map((m) => m.name)).toEqual(['Watcher']));
  });
});
