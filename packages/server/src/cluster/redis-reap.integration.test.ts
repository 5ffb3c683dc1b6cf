import { describe, expect, it } from 'vitest';
import type { ChatRoom } from '@chat/client';
import { definePlugin } from '../core/plugin.js';
import { redisCluster } from './redis-cluster.js';
import { HEARTBEAT, REAP } from './redis-scripts.js';
import { keepAlive, makeStale, redisScripts, registerGhosts } from './reap-fixtures.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../test-support/redis.js';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

const STALE_MS = 1000;

/** A plugin that writes down each `room/user` it hears leave (PluginTools.onPresence). */
function leaveWatcher(heard: string[]) {
  return definePlugin({
    name: 'watcher',
    start: (tools) =>
      void tools.onPresence(({ kind, roomId, userId }) => {
        if (kind === 'left') heard.push(`${roomId}/${userId}`);
      }),
  });
}

// Clearing a dead process in short steps (issue 15: a process of 10,000 sockets held Redis for
// one long script). The dead processes here are ghosts: a process id that registered members
// through the same scripts a server uses, said it was alive once, and went silent.
describe.skipIf(skipWithoutRedis())('reaping a dead process in steps', () => {
  const names = (room: ChatRoom) => room.members.map((m) => m.name).sort();

  it('clears a dead process of 40 users in 3 rooms in steps of 5: every member leaves once, a user also on a live process stays', async () => {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const rooms = ['reap-a', 'reap-b', 'reap-c'];
    const ghosts = Array.from({ length: 40 }, (_, i) => `ghost-${String(i).padStart(2, '0')}`);
    // A plugin hears each of them leave too (PluginTools.onPresence), from the process that cleared them.
    const heard: string[] = [];
    const watcher = leaveWatcher(heard);
    // The server is up first, so that its own sockets are what the ghosts are cleared around.
    const { chat, url } = await startChat({
      cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: STALE_MS, reapStep: 5 }),
      presenceCoalesceMs: 10,
      plugins: [watcher],
    });
    await chat.ready();
    // A live process (beating all along) holds one of the ghost users too: that user stays.
    // The ghost is alive until the watcher has seen it whole (registering may take longer than staleAfterMs).
    keepAlive(scripts, prefix, 'live-process');
    const silence = keepAlive(scripts, prefix, 'ghost-process');
    await registerGhosts(scripts, prefix, 'ghost-process', rooms, ghosts);
    await registerGhosts(scripts, prefix, 'live-process', rooms, ['ghost-07']);

    const left = new Map<string, number>();
    const client = sdkClient(url, { auth: { name: 'Watcher' } });
    const joined = await Promise.all(rooms.map((id) => client.join(id)));
    for (const room of joined) {
      expect(room.members).toHaveLength(ghosts.length + 1);
      room.on('presence', (delta) => {
        for (const { id } of delta.left) left.set(`${room.id}/${id}`, (left.get(`${room.id}/${id}`) ?? 0) + 1);
      });
    }

    // The ghost process goes silent; the server's heartbeat finds it stale and clears it.
    silence();
    for (const room of joined) await waitFor(() => expect(names(room)).toEqual(['Watcher', 'ghost-07']), { timeout: 15_000 });
    const expected = rooms.flatMap((r) => ghosts.filter((g) => g !== 'ghost-07').map((g) => `${r}/${g}`));
    expect([...left.keys()].sort()).toEqual(expected.sort());
    expect(heard.sort()).toEqual(expected.sort());
    expect([...left.values()].every((n) => n === 1)).toBe(true);
    // Nothing of the dead process is left in Redis once its users are cleared too (the steps after
    // the rooms'), and the reap's own state is gone with it.
    await waitFor(async () => expect(await redis.keys(`${prefix}*ghost-process*`)).toEqual([]));
    expect(await redis.exists(`${prefix}reaping`)).toBe(0);
    for (const room of rooms) expect((await redis.hKeys(`${prefix}members:${room}`)).length).toBe(2);
    const online = await chat.presenceOf(['ghost-00', 'ghost-07']);
    expect(online.map((p) => p.online)).toEqual([false, true]);
    // Once each, still, now that the reap is over.
    expect(heard).toHaveLength(expected.length);
  });

  it('a process already dead when the server starts: its plugins hear its users leave once they have started', async () => {
    const prefix = freshPrefix();
    const { scripts } = await redisScripts();
    await registerGhosts(scripts, prefix, 'dead-before', ['early'], ['gone-1', 'gone-2']);
    await makeStale(scripts, prefix, 'dead-before');
    const heard: string[] = [];
    const watcher = leaveWatcher(heard);
    const { chat } = await startChat({
      cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: STALE_MS }),
      plugins: [watcher],
    });
    await chat.ready();
    await waitFor(() => expect(heard.sort()).toEqual(['early/gone-1', 'early/gone-2']));
  });

  it('steps stay short, say whether work is left, and go on where the last one stopped, in a room too large for one step', async () => {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const many = Array.from({ length: 200 }, (_, i) => `g${i}`);
    const few = Array.from({ length: 30 }, (_, i) => `h${i}`);
    await registerGhosts(scripts, prefix, 'dead-1', ['big'], many);
    await registerGhosts(scripts, prefix, 'dead-2', ['big', 'small-1', 'small-2'], few);
    await makeStale(scripts, prefix, 'dead-1');
    await makeStale(scripts, prefix, 'dead-2');

    // Steps of 10: the room of 230 is scanned over many steps (its cursor kept in Redis between
    // them); the steps could come from any process, as each one's state is in Redis.
    const gone: string[] = [];
    const offline: string[] = [];
    let steps = 0;
    let more = true;
    while (more) {
      const reply = (await scripts.run(REAP, [`${prefix}procs`], [String(STALE_MS), prefix, '10'])) as [string[], string[], number];
      for (let i = 0; i < reply[0].length; i += 2) gone.push(`${reply[0][i]}/${reply[0][i + 1]}`);
      offline.push(...reply[1].map((json) => (JSON.parse(json) as { id: string }).id));
      more = reply[2] === 1;
      steps++;
      expect(steps).toBeLessThan(500);
    }
    expect(steps).toBeGreaterThan(20);
    const expected = [...[...many, ...few].map((g) => `big/${g}`), ...few.flatMap((g) => [`small-1/${g}`, `small-2/${g}`])];
    expect(gone.sort()).toEqual(expected.sort());
    expect(offline.sort()).toEqual([...many, ...few].sort());
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('a process that beats again while it is being cleared keeps what it still has', async () => {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const users = Array.from({ length: 30 }, (_, i) => `u${i}`);
    const rooms = ['r1', 'r2', 'r3'];
    await registerGhosts(scripts, prefix, 'stalled', rooms, users);
    await makeStale(scripts, prefix, 'stalled');
    // One step clears some members of one room (a step of 10 of 90 entries), then the process
    // beats again: the next step leaves it alone, with the rest of its members and its users.
    const first = (await scripts.run(REAP, [`${prefix}procs`], [String(STALE_MS), prefix, '10'])) as [string[], string[], number];
    expect(first[2]).toBe(1);
    const cleared = first[0].length / 2;
    expect(cleared).toBeGreaterThan(0);
    expect(cleared).toBeLessThan(users.length);
    await scripts.run(HEARTBEAT, [`${prefix}procs`], ['stalled']);
    const next = (await scripts.run(REAP, [`${prefix}procs`], [String(STALE_MS), prefix, '10'])) as [string[], string[], number];
    expect(next).toEqual([[], [], 0]);
    const sizes = await Promise.all(rooms.map((r) => redis.hLen(`${prefix}members:${r}`)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(rooms.length * users.length - cleared);
    expect(await redis.hLen(`${prefix}users`)).toBe(users.length);
    expect(await redis.exists(`${prefix}reaping`)).toBe(0);
    expect(await redis.exists(`${prefix}reap:stalled`)).toBe(0);
  });
});
