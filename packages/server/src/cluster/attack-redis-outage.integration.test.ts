import { describe, expect, it } from 'vitest';
import { startClusterChats } from '../../../../test-support/cluster.js';
import { useTestSchema, type TestSchema } from '../../../../test-support/postgres.js';
import { redisServerMissing, skipWithoutRedis, startOwnRedis } from '../../../../test-support/redis.js';
import { nextEvent, rawSocket, request, type TestChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';

// Attack round 2 (issue 14): cluster signals (`chat:room-changed`, `chat:room-ended`) sent
// while Redis is down. Processes share rooms through PostgreSQL and signals through Redis.

const schema = skipWithoutRedis() ? undefined : useTestSchema();

async function twoProcessesOnOwnRedis(): Promise<{ a: TestChat; b: TestChat; redis: Awaited<ReturnType<typeof startOwnRedis>> }> {
  const redis = await startOwnRedis();
  const pool = (schema as TestSchema).pool();
  const [a, b] = (await startClusterChats(
    2,
    { authenticate: (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) }) },
    { url: redis.url },
    () => new PostgresStore({ pool }),
  )) as [TestChat, TestChat];
  return { a, b, redis };
}

describe.skipIf(schema === undefined)('signals sent while Redis is down', () => {
  it('a room made private while Redis is down: members on another process are removed when it is back', async ({ skip }) => {
    const missing = redisServerMissing();
    if (missing) skip(missing);
    const { a, b, redis } = await twoProcessesOnOwnRedis();
    await a.chat.createRoom({ id: 'p', createdBy: 'host' });
    const guest = await rawSocket(b.url, { token: 'guest' });
    expect(await request(guest, 'room:join', { roomId: 'p' })).toMatchObject({ ok: true });

    await redis.kill();
    await a.chat.updateRoom('p', { options: { private: true } }); // stored; the signal has no Redis
    await redis.start();
    const removed = nextEvent(guest, 'room:removed');
    // Delivery is back (a message from process A reaches B's sockets)...
    const host = await rawSocket(a.url, { token: 'host' });
    await waitFor(async () => {
      expect(await request(host, 'room:join', { roomId: 'p' })).toMatchObject({ ok: true });
    });
    // ...but the guest, not allowed in any more, must be out of it.
    expect(await removed).toEqual({ roomId: 'p', reason: 'forbidden' });
  });

  it('a room ended while Redis is down: members on another process are told when it is back', async ({ skip }) => {
    const missing = redisServerMissing();
    if (missing) skip(missing);
    const { a, b, redis } = await twoProcessesOnOwnRedis();
    await a.chat.createRoom({ id: 'e' });
    const guest = await rawSocket(b.url, { token: 'guest' });
    expect(await request(guest, 'room:join', { roomId: 'e' })).toMatchObject({ ok: true });
    const ended: string[] = [];
    guest.on('room:ended', (e) => ended.push(e.roomId));

    await redis.kill();
    await a.chat.endRoom('e'); // stored; the signal has no Redis
    await redis.start();
    await waitFor(() => expect(ended).toEqual(['e']));
  });

  it('a ban while Redis is down is answered (the signal to the others waits 5 s at most), and holds on the other process', async ({
    skip,
  }) => {
    const missing = redisServerMissing();
    if (missing) skip(missing);
    const { a, b, redis } = await twoProcessesOnOwnRedis();
    await a.chat.createRoom({ id: 'b' });
    const troll = await rawSocket(b.url, { token: 'troll' });
    expect(await request(troll, 'room:join', { roomId: 'b' })).toMatchObject({ ok: true });
    expect(await request(troll, 'message:send', { roomId: 'b', clientId: 'before', text: 'hi' })).toMatchObject({ ok: true });

    await redis.kill();
    await a.chat.ban('b', 'troll'); // stored; the signal has no Redis
    await redis.start();
    let n = 0;
    await waitFor(async () => {
      expect(await request(troll, 'message:send', { roomId: 'b', clientId: `after-${n++}`, text: 'hi' })).toMatchObject({ ok: false });
    });
  });
});
