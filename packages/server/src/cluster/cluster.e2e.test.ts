import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort, startNodeProcess } from '../../../../test-support/process.js';
import { useTestSchema, type TestSchema } from '../../../../test-support/postgres.js';
import { eachRedis } from '../../../../test-support/cluster.js';
import type { RedisClusterOptions } from '@chat/server/redis';
import { freshPrefix, REDIS_URL, redisServerMissing, skipWithoutRedis, startOwnRedis } from '../../../../test-support/redis.js';
import { rawSocket, request, sdkClient } from '../../../../test-support/servers.js';
import { startBalancer } from '../../../../test-support/tcp-balancer.js';
import { waitFor } from '../../../../test-support/wait.js';

const script = fileURLToPath(new URL('../../../../test-support/fixtures/cluster-chat-process.mjs', import.meta.url));
const fast = { socketOptions: { reconnectionDelay: 100, reconnectionDelayMax: 300 } };

// Several server processes (the built packages) on PostgreSQL and Redis: a process killed on one
// Redis and on a local Redis Cluster (the fixture takes the cluster's nodes in REDIS_NODES), Redis
// itself restarted on one Redis.

/** `count` chat processes on `redis` (one Redis's URL, or a cluster's nodes) and the schema's database. */
async function startProcesses(schema: TestSchema, count: number, redis: Partial<RedisClusterOptions> | string) {
  const env = {
    DATABASE_URL: schema.connectionString,
    ...(typeof redis === 'string'
      ? { REDIS_URL: redis, KEY_PREFIX: freshPrefix(redis) }
      : redis.nodes
        ? { REDIS_NODES: redis.nodes.map((node) => node.url).join(','), KEY_PREFIX: freshPrefix() }
        : { REDIS_URL: REDIS_URL as string, KEY_PREFIX: freshPrefix() }),
  };
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const processes = await Promise.all(ports.map((port) => startNodeProcess(script, { ...env, PORT: String(port) })));
  return { processes, ports, env };
}

eachRedis('several processes as one chat server', (redis, schema) => {
  const cluster = (count: number) => startProcesses(schema, count, redis());

  it('SIGKILL a process: its members leave within staleAfterMs, names are free, its clients reconnect elsewhere and miss nothing', async () => {
    const { processes, ports } = await cluster(2);
    const [first, second] = processes as [(typeof processes)[0], (typeof processes)[0]];
    const balancer = await startBalancer(ports); // round robin: the next connection goes to `first`
    const kim = sdkClient(balancer.url, { auth: { name: 'Kim' }, ...fast });
    const kimRoom = await kim.join('k');
    const zed = await rawSocket(first.url, { name: 'Zed' }); // does not reconnect: becomes a ghost
    await request(zed, 'room:join', { roomId: 'k' });
    const observer = await sdkClient(second.url, { auth: { name: 'Obs' } }).join('k');
    await waitFor(() => expect(observer.members.map((m) => m.name).sort()).toEqual(['Kim', 'Obs', 'Zed']));
    await request(zed, 'typing', { roomId: 'k', typing: true });
    await waitFor(() => expect(observer.typingUsers.map((u) => u.name)).toEqual(['Zed']));
    await observer.send('before the crash');

    first.child.kill('SIGKILL');
    await waitFor(() => expect(kim.state).toBe('reconnecting'));
    for (let i = 0; i < 5; i++) await observer.send(`during ${i}`);
    const fromKim = kimRoom.send('sent while the server was gone');

    // The ghost leaves everyone's presence (staleAfterMs is 1 s in the fixture)...
    await waitFor(() => expect(observer.members.map((m) => m.name).sort()).toEqual(['Kim', 'Obs']));
    // ...and out of the typing list, which no one else would have updated.
    await waitFor(() => expect(observer.typingUsers).toEqual([]));
    // ...its name is free again...
    const newZed = await rawSocket(second.url, { name: 'Zed' });
    expect(await request(newZed, 'room:join', { roomId: 'k' })).toMatchObject({ ok: true });
    // ...and Kim, through the balancer on the other process, missed nothing and doubled nothing.
    await fromKim;
    await waitFor(() => expect(kimRoom.messages.map((m) => m.id)).toEqual(observer.messages.map((m) => m.id)));
    expect(kimRoom.messages.map((m) => m.text)).toEqual([
      'before the crash',
      'during 0',
      'during 1',
      'during 2',
      'during 3',
      'during 4',
      'sent while the server was gone',
    ]);
    expect(kimRoom.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe.skipIf(skipWithoutRedis())('several processes as one chat server, and their Redis restarted', () => {
  const schema = useTestSchema();
  const cluster = (count: number, redisUrl: string) => startProcesses(schema, count, redisUrl);

  it('Redis restarts mid-run: no crash, errors reported, delivery and presence come back by themselves', async ({ skip }) => {
    const missing = redisServerMissing();
    if (missing) skip(missing);
    const redis = await startOwnRedis();
    const { processes } = await cluster(2, redis.url);
    const [first, second] = processes as [(typeof processes)[0], (typeof processes)[0]];
    const ana = await sdkClient(first.url, { auth: { name: 'Ana' } }).join('r');
    const luis = await sdkClient(second.url, { auth: { name: 'Luis' } }).join('r');
    await waitFor(() => expect(ana.members).toHaveLength(2));
    await ana.send('before');
    await waitFor(() => expect(luis.messages.map((m) => m.text)).toEqual(['before']));

    await redis.kill();
    const during = await ana.send('while redis is down'); // stored in PostgreSQL, acked
    await redis.start(); // empty: no persistence
    const after = await ana.send('after the restart');

    await waitFor(() => expect(luis.messages.map((m) => m.id)).toEqual(expect.arrayContaining([during.id, after.id])));
    // Presence was registered again by each process.
    const late = await sdkClient(second.url, { auth: { name: 'Late' } }).join('r');
    await waitFor(() => expect(late.members.map((m) => m.name).sort()).toEqual(['Ana', 'Late', 'Luis']));
    const impostor = await rawSocket(first.url, { name: 'luis' });
    expect(await request(impostor, 'room:join', { roomId: 'r' })).toMatchObject({ ok: false, error: { code: 'NAME_TAKEN' } });
    for (const p of [first, second]) {
      expect(p.child.exitCode).toBeNull();
      expect(p.output()).toContain('[chat error] redis');
    }
  });
});
