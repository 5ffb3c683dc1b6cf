import { describe, expect, it } from 'vitest';
import { nameKey } from '../core/presence-registry.js';
import { redisScripts } from './reap-fixtures.js';
import { shardedKeys } from './redis-keys.js';
import { RedisPresence } from './redis-presence.js';
import { HEARTBEAT, JOIN, USER_CONNECT } from './redis-scripts.js';
import { freshPrefix, skipWithoutRedis } from '../../../../test-support/redis.js';

// What a failover of a Redis Cluster can do to a process's entries, played on one Redis with the
// cluster's keys (hash tags change nothing there): the promoted replica lacks a leave and a
// disconnect the old primary acknowledged, and a join. restore() makes the entries the live sockets.
describe.skipIf(skipWithoutRedis())('RedisPresence.restore() on a Redis Cluster', () => {
  const STALE = '600000';
  const ana = { id: 'ana', name: 'Ana' };
  const leo = { id: 'leo', name: 'Leo' };

  async function setup() {
    const { redis, scripts } = await redisScripts();
    const keys = shardedKeys(freshPrefix(), 4);
    for (const group of keys.groups) await scripts.run(HEARTBEAT, [`${group}procs`], ['p1']);
    const ghosts: Array<[string, string]> = [];
    const presence = new RedisPresence(scripts, { keys, processId: 'p1', staleAfterMs: Number(STALE) }, (roomId, userId) =>
      ghosts.push([roomId, userId]),
    );
    return { redis, scripts, keys, presence, ghosts };
  }

  it('takes out a member and a user the process no longer has, and registers again the one it has', async () => {
    const { redis, scripts, keys, presence } = await setup();
    const g = keys.presence('lobby');
    const u = keys.users;
    for (const [socket, user] of [['s1', ana] as const, ['s2', leo] as const]) {
      await presence.connect(socket, user);
      await presence.add('lobby', socket, user);
    }
    await presence.remove('lobby', 's2', leo.id);
    await presence.disconnect('s2', leo.id);
    // The replica that took over had Leo still (his leave and disconnect lost), and not Ana's join.
    const member = { ...leo, status: 'online', joinedAt: new Date().toISOString() };
    await scripts.run(
      JOIN,
      [`${g}members:lobby`, `${g}names:lobby`, `${g}procs`, `${g}proc:p1:rooms`, `${g}users`],
      [leo.id, nameKey(leo.name), 'p1', JSON.stringify(member), STALE, 'lobby', 'add', '1'],
    );
    await scripts.run(
      USER_CONNECT,
      [`${u}users`, `${u}procs`, `${u}proc:p1:users`],
      [leo.id, 'p1', STALE, JSON.stringify(leo), 'add', '1', ''],
    );
    await redis.hDel(`${g}members:lobby`, ana.id);
    await redis.hDel(`${g}names:lobby`, nameKey(ana.name));

    const done = await presence.restore();
    expect(done.restored).toEqual([{ roomId: 'lobby', userId: ana.id }]);
    expect(done.gone).toEqual([{ roomId: 'lobby', userId: leo.id }]);
    expect(done.offline).toEqual([leo]);
    expect((await presence.members('lobby')).map((m) => m.name)).toEqual(['Ana']);
    expect(await redis.hKeys(`${g}names:lobby`)).toEqual([nameKey(ana.name)]);
    expect([...(await presence.online([ana.id, leo.id])).keys()]).toEqual([ana.id]);
    expect(await redis.sMembers(`${u}proc:p1:users`)).toEqual([ana.id]);
  });

  it('a room the process no longer has anyone in leaves its rooms; a leave that finds no entry tells the room', async () => {
    const { redis, keys, presence, ghosts } = await setup();
    const g = keys.presence('hall');
    await presence.connect('s1', ana);
    await presence.add('hall', 's1', ana);
    // The replica never had Ana's join: her leave finds nothing, and the room is told she is gone.
    await redis.hDel(`${g}members:hall`, ana.id);
    expect(await presence.remove('hall', 's1', ana.id)).toBeUndefined();
    expect(ghosts).toEqual([['hall', ana.id]]);
    await presence.restore();
    expect(await redis.sMembers(`${g}proc:p1:rooms`)).toEqual([]);
  });
});
