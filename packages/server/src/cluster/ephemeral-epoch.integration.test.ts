import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { REDIS_URL, freshPrefix, skipWithoutRedis } from '../../../../test-support/redis.js';
import { startClusterChats } from '../../../../test-support/cluster.js';
import { useTestSchema, type TestSchema } from '../../../../test-support/postgres.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { rawSocket, request, startChat, track, type TestChat } from '../../../../test-support/servers.js';

async function epochOf(url: string, roomId: string): Promise<string> {
  const socket = await rawSocket(url);
  const res = await request(socket, 'room:join', { roomId });
  socket.disconnect();
  if (!res.ok) throw new Error(res.error.message);
  return res.data.epoch;
}

describe('history epochs', () => {
  it('a stored room keeps its epoch; an ephemeral room gets a new one when its seq counter starts over', async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'meeting', options: { ephemeral: true } });
    const stored = await epochOf(url, 'kept');
    expect(await epochOf(url, 'kept')).toBe(stored);
    const ephemeral = await epochOf(url, 'meeting');
    expect(await epochOf(url, 'meeting')).toBe(ephemeral);
    expect(ephemeral).not.toBe(stored);
  });

  // Processes share rooms through PostgreSQL and seqs of ephemeral rooms through Redis.
  const schema = skipWithoutRedis() ? undefined : useTestSchema();
  it.skipIf(schema === undefined)('an ephemeral room has one epoch on every process, and a new one when Redis lost it', async () => {
    const prefix = freshPrefix();
    const pool = (schema as TestSchema).pool();
    const [a, b] = (await startClusterChats(2, {}, { keyPrefix: prefix }, () => new PostgresStore({ pool }))) as [TestChat, TestChat];
    await a.chat.createRoom({ id: 'meeting', options: { ephemeral: true } });
    const first = await epochOf(a.url, 'meeting');
    expect(await epochOf(b.url, 'meeting')).toBe(first);
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    track(() => redis.close());
    await redis.del([`${prefix}eph:seq:meeting`, `${prefix}eph:epoch:meeting`]); // as after a Redis restart
    const second = await epochOf(b.url, 'meeting');
    expect(second).not.toBe(first);
    expect(await epochOf(a.url, 'meeting')).toBe(second);
  });
});
