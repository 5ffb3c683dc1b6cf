import { createClient } from 'redis';
import { ScriptRunner } from './redis-commands.js';
import { HEARTBEAT, JOIN, USER_CONNECT } from './redis-scripts.js';
import { nameKey } from '../core/presence-registry.js';
import { REDIS_URL } from '../../../../test-support/redis.js';
import { track } from '../../../../test-support/servers.js';

/** A Redis client for a test (closed after it) and a runner of the cluster's scripts on it. */
export async function redisScripts() {
  const redis = createClient({ url: REDIS_URL as string });
  await redis.connect();
  track(() => void redis.close());
  return { redis, scripts: new ScriptRunner(redis) };
}

/**
 * A ghost process for the reap tests: process `proc` says it is alive once, then registers
 * `users` (one socket each, online) in every room of `rooms` through the scripts a server uses.
 * It goes silent after: stale once `staleAfterMs` has passed, unless the test beats for it.
 */
export async function registerGhosts(scripts: ScriptRunner, prefix: string, proc: string, rooms: string[], users: string[]): Promise<void> {
  await scripts.run(HEARTBEAT, [`${prefix}procs`], [proc]);
  // A long staleness for the registration itself, so a slow registration never sees its own process dead.
  const registering = '600000';
  const one = async (id: string) => {
    const ref = { id, name: id };
    await scripts.run(
      USER_CONNECT,
      [`${prefix}users`, `${prefix}procs`, `${prefix}proc:${proc}:users`],
      [id, proc, registering, JSON.stringify(ref), 'add', '1', ''],
    );
    for (const room of rooms) {
      const member = { ...ref, status: 'online', joinedAt: new Date().toISOString() };
      const reply = (await scripts.run(
        JOIN,
        [`${prefix}members:${room}`, `${prefix}names:${room}`, `${prefix}procs`, `${prefix}proc:${proc}:rooms`, `${prefix}users`],
        [id, nameKey(id), proc, JSON.stringify(member), registering, room, 'add', '1'],
      )) as string[];
      if (reply[0] === 'TAKEN') throw new Error(`registerGhosts: the name ${id} is taken in ${room}`);
    }
  };
  for (let i = 0; i < users.length; i += 50) await Promise.all(users.slice(i, i + 50).map(one));
}

/** Beats for process `proc` every 100 ms until the returned function is called (or the test ends). */
export function keepAlive(scripts: ScriptRunner, prefix: string, proc: string): () => void {
  void scripts.run(HEARTBEAT, [`${prefix}procs`], [proc]);
  const beating = setInterval(() => void scripts.run(HEARTBEAT, [`${prefix}procs`], [proc]), 100);
  const stop = () => clearInterval(beating);
  track(stop);
  return stop;
}

/** Makes process `proc` stale now: its last heartbeat set to long ago, as if it had been silent past any `staleAfterMs`. */
export async function makeStale(scripts: ScriptRunner, prefix: string, proc: string): Promise<void> {
  await scripts.run(STALE, [`${prefix}procs`], [proc]);
}

const STALE = `redis.call('ZADD', KEYS[1], 0, ARGV[1])`;
