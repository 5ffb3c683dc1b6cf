import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { redisCluster } from '../../cluster/redis-cluster.js';
import { MemoryStore } from '../../store/memory-store.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../../test-support/redis.js';
import { useTestSchema } from '../../../../../test-support/postgres.js';
import { eachRedis, startClusterChats } from '../../../../../test-support/cluster.js';
import { sdkClient, startChat, track, type TestChat } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { framesOf, member } from './fanout-fixtures.js';

// Coalesced frames across two chat servers joined through Redis (as two processes would be): a
// room's batch crosses the Redis stream as one entry, and reaches every socket of the room on
// both servers, as `messages` or one `message` each, by what each socket asked for.
// These read the stream's entries by name, so they run on one Redis (a Redis Cluster has no
// stream: its broadcasts go over the sharded adapter's pub/sub).
describe.skipIf(skipWithoutRedis())('coalesced frames across processes (Redis Streams adapter)', () => {
  const schema = useTestSchema();

  // PostgreSQL shared, as in production; or each server's own memory store, whose appends finish
  // in the turn they start (for a burst that is one turn, exactly).
  async function twoServers(store: 'postgres' | 'memory' = 'postgres'): Promise<[TestChat, TestChat, string]> {
    const prefix = freshPrefix();
    const make = async () => {
      const started = await startChat({
        store: store === 'postgres' ? new PostgresStore({ pool: schema.pool() }) : new MemoryStore(),
        cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: 1000 }),
      });
      await started.chat.ready();
      return started;
    };
    return [await make(), await make(), prefix];
  }

  // The message broadcasts (`message` or `messages`) in the stream after `from`.
  async function messageEntries(stream: string, from: string): Promise<string[]> {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    track(() => redis.close());
    const entries = await redis.xRange(stream, from === '0' ? '-' : `(${from}`, '+');
    return entries
      .filter((e) => e.message['type'] === '3')
      .map((e) => (JSON.parse(e.message['data'] ?? '{}') as { packet?: { data?: unknown[] } }).packet?.data?.[0])
      .filter((event): event is string => event === 'message' || event === 'messages');
  }

  async function lastEntry(stream: string): Promise<string> {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    track(() => redis.close());
    const [last] = await redis.xRevRange(stream, '+', '-', { COUNT: 1 });
    return last?.id ?? '0';
  }

  it('sends a burst to batch and single sockets on both servers, in order, as two stream entries', async () => {
    const [a, b, prefix] = await twoServers('memory');
    const roomId = `cluster-${randomUUID().slice(0, 8)}`;
    const sockets = {
      batchA: await member(a, roomId, true),
      singleA: await member(a, roomId, false),
      batchB: await member(b, roomId, true),
      singleB: await member(b, roomId, false),
    };
    const frames = Object.fromEntries(Object.entries(sockets).map(([k, s]) => [k, framesOf(s)]));
    const from = await lastEntry(`${prefix}stream`);
    const sent = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        a.chat.sendMessage(roomId, { user: { id: `bot-${i % 3}`, name: `Bot ${i % 3}` }, text: `m${i}` }),
      ),
    );
    const ids = [...sent].sort((x, y) => x.seq - y.seq).map((m) => m.id);
    for (const key of Object.keys(sockets)) {
      await waitFor(() => expect(frames[key]?.flatMap((f) => f.messages.map((m) => m.id))).toEqual(ids));
    }
    expect(frames['singleA']?.every((f) => f.event === 'message')).toBe(true);
    expect(frames['singleB']?.every((f) => f.event === 'message')).toBe(true);
    expect(frames['batchA']?.map((f) => f.event)).toEqual(['message', 'messages']);
    expect(frames['batchB']?.map((f) => f.event)).toEqual(['message', 'messages']);
    // Between the processes: the first alone, then the other 14 as one entry.
    expect(await messageEntries(`${prefix}stream`, from)).toEqual(['message', 'messages']);
  });

  it('sends what PostgreSQL stores in one turn together, one stream entry per frame', async () => {
    const [a, b, prefix] = await twoServers();
    const roomId = `cluster-${randomUUID().slice(0, 8)}`;
    const batchA = framesOf(await member(a, roomId, true));
    const batchB = framesOf(await member(b, roomId, true));
    const singleB = framesOf(await member(b, roomId, false));
    const from = await lastEntry(`${prefix}stream`);
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, i) => a.chat.sendMessage(roomId, { user: { id: 'bot', name: 'Bot' }, text: `m${i}` })),
    );
    const ids = new Set(sent.map((m) => m.id));
    for (const frames of [batchA, batchB, singleB]) {
      await waitFor(() => expect(new Set(frames.flatMap((f) => f.messages.map((m) => m.id)))).toEqual(ids));
      expect(frames.flatMap((f) => f.messages)).toHaveLength(30);
    }
    // Each frame a batch socket got crossed Redis as one entry; the single sockets got as many messages.
    const entries = await messageEntries(`${prefix}stream`, from);
    expect(entries).toEqual(batchA.map((f) => f.event));
    expect(batchB.map((f) => f.event)).toEqual(entries);
    expect(singleB).toHaveLength(30);
  });
});

// The same across two servers on one Redis and on a Redis Cluster (where broadcasts cross the
// sharded adapter): every message once, to every socket of the room.
eachRedis('coalesced frames across processes', (redis, schema) => {
  it('delivers what senders on both servers send to SDK clients on both, each message once', async () => {
    const pool = schema.pool();
    const [a, b] = (await startClusterChats(2, {}, redis(), () => new PostgresStore({ pool }))) as [TestChat, TestChat];
    const roomId = `cluster-${randomUUID().slice(0, 8)}`;
    const onA = await sdkClient(a.url, { auth: { name: 'Ana' } }).join(roomId);
    const onB = await sdkClient(b.url, { auth: { name: 'Luis' } }).join(roomId);
    const plainB = await member(b, roomId, false);
    const plainFrames = framesOf(plainB);
    const fromA = Promise.all(Array.from({ length: 8 }, (_, i) => onA.send(`a${i}`)));
    const fromB = Promise.all(Array.from({ length: 8 }, (_, i) => onB.send(`b${i}`)));
    const bots = Promise.all(
      Array.from({ length: 8 }, (_, i) => b.chat.sendMessage(roomId, { user: { id: 'bot', name: 'Bot' }, text: `bot${i}` })),
    );
    const all = (await Promise.all([fromA, fromB, bots])).flat().sort((x, y) => x.seq - y.seq);
    const ids = all.map((m) => m.id);
    await waitFor(() => expect(onA.messages.map((m) => m.id)).toEqual(ids));
    await waitFor(() => expect(onB.messages.map((m) => m.id)).toEqual(ids));
    await waitFor(() => expect(plainFrames).toHaveLength(24));
    expect(new Set(plainFrames.map((f) => f.messages[0]?.id))).toEqual(new Set(ids));
  });
});
