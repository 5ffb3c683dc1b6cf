import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { redisCluster } from './redis-cluster.js';
import { ScriptRunner } from './redis-commands.js';
import { HEARTBEAT, USER_CONNECT } from './redis-scripts.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../test-support/redis.js';
import { useTestSchema } from '../../../../test-support/postgres.js';
import { startChat, track } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// Who is online, in Redis: a user whose last socket was on a process that died (no goodbye,
// no disconnect events) is offline once the process is reaped, and is remembered as last seen then.
describe.skipIf(skipWithoutRedis())('online users in Redis', () => {
  const schema = useTestSchema();

  it('a user whose only sockets were on a dead process goes offline when it is reaped, with lastSeenAt stored', async () => {
    const prefix = freshPrefix();
    const { chat } = await startChat({
      store: new PostgresStore({ pool: schema.pool() }),
      cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: 1000 }),
    });
    await chat.ready();
    const redis = createClient({ url: REDIS_URL as string });
    await redis.connect();
    track(() => void redis.close());
    const scripts = new ScriptRunner(redis);
    // Another process says it is alive once, counts two sockets of Zed, then dies.
    await scripts.run(HEARTBEAT, [`${prefix}procs`], ['ghost-process']);
    const zed = { id: 'zed-on-a-dead-process', name: 'Zed' };
    for (let i = 0; i < 2; i++) {
      await scripts.run(
        USER_CONNECT,
        [`${prefix}users`, `${prefix}procs`, `${prefix}proc:ghost-process:users`],
        [zed.id, 'ghost-process', '1000', JSON.stringify(zed), 'add', '1', ''],
      );
    }
    expect(await chat.presenceOf([zed.id])).toEqual([{ id: zed.id, online: true, status: 'online' }]);

    const before = Date.now();
    const [gone] = await waitFor(async () => {
      const answer = await chat.presenceOf([zed.id]);
      expect(answer[0]).toMatchObject({ online: false, lastSeenAt: expect.any(String) });
      return answer;
    });
    expect(Date.parse(gone?.lastSeenAt as string)).toBeGreaterThanOrEqual(before - 1);
    expect(await chat.store.getUsers([zed.id])).toEqual([{ ...zed, lastSeenAt: gone?.lastSeenAt }]);
    expect(await redis.hGet(`${prefix}users`, zed.id)).toBeNull();
    expect(await redis.exists(`${prefix}proc:ghost-process:users`)).toBe(0);
  });
});
