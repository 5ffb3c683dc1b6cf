import { describe, expect, it } from 'vitest';
import { redisCluster } from './redis-cluster.js';
import { HEARTBEAT, JOIN, LEAVE, REAP } from './redis-scripts.js';
import { keepAlive, makeStale, redisScripts, registerGhosts } from './reap-fixtures.js';
import { nameKey } from '../core/presence-registry.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../test-support/redis.js';
import { sdkClient, startChat, track } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// The stepped reap's races (a review's cases): a server closing during a reap, two reapers at once,
// a room changing while it is scanned, and old and new versions on the same dead process.
const STALE_MS = 1000;

// The REAP of e49c014 (one atomic script), for the mixed-version case: the new script's prelude
// (LIVENESS + prune...) with the old body.
const OLD_REAP = `${REAP.slice(0, REAP.indexOf('local stale'))}
local stale = tonumber(ARGV[1])
local P = ARGV[2]
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', NOW - stale)
if ARGV[3] then table.insert(dead, ARGV[3]); redis.call('ZREM', KEYS[1], ARGV[3]) end
local out = {}
local offline = {}
for _, proc in ipairs(dead) do
  redis.call('ZREM', KEYS[1], proc)
  local roomsKey = P .. 'proc:' .. proc .. ':rooms'
  for _, room in ipairs(redis.call('SMEMBERS', roomsKey)) do
    local mkey = P .. 'members:' .. room
    local nkey = P .. 'names:' .. room
    local all = redis.call('HGETALL', mkey)
    for i = 1, #all, 2 do
      local e = cjson.decode(all[i + 1])
      if e.p[proc] then
        e.p[proc] = nil
        if prune(e, KEYS[1], stale) > 0 then
          redis.call('HSET', mkey, all[i], cjson.encode(e))
        else
          redis.call('HDEL', mkey, all[i])
          if e.n and redis.call('HGET', nkey, e.n) == all[i] then redis.call('HDEL', nkey, e.n) end
          table.insert(out, room)
          table.insert(out, all[i])
        end
      end
    end
  end
  redis.call('DEL', roomsKey)
  local usersKey = P .. 'proc:' .. proc .. ':users'
  local ukey = P .. 'users'
  for _, uid in ipairs(redis.call('SMEMBERS', usersKey)) do
    local raw = redis.call('HGET', ukey, uid)
    if raw then
      local e = cjson.decode(raw)
      if e.p[proc] then
        e.p[proc] = nil
        if prune(e, KEYS[1], stale) > 0 then
          redis.call('HSET', ukey, uid, cjson.encode(e))
        else
          redis.call('HDEL', ukey, uid)
          if e.u then table.insert(offline, cjson.encode(e.u)) end
        end
      end
    end
  end
  redis.call('DEL', usersKey)
end
return {out, offline}
`;

describe.skipIf(skipWithoutRedis())('the stepped reap, in races', () => {
  // A (the watcher's server) and B both reap; B is shut down (a rolling deploy) while the reap of
  // a dead process of 150 members in 10 rooms is under way.
  async function closeDuringReap() {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const rooms = Array.from({ length: 10 }, (_, i) => `close-${i}`);
    const ghosts = Array.from({ length: 150 }, (_, i) => `ghost-${String(i).padStart(3, '0')}`);
    const a = await startChat({
      cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 400, staleAfterMs: STALE_MS, reapStep: 1 }),
      presenceCoalesceMs: 10,
    });
    const b = await startChat({
      cluster: redisCluster({ url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: STALE_MS, reapStep: 1 }),
      presenceCoalesceMs: 10,
    });
    await Promise.all([a.chat.ready(), b.chat.ready()]);
    const errors: string[] = [];
    let closed = false;
    b.chat.on('error', (error, where) => {
      if (closed) errors.push(`${where.event}: ${error.code} ${String((error as { cause?: Error }).cause?.message)}`);
    });
    // Alive until the watcher has seen every ghost (registering them may take longer than staleAfterMs).
    const silence = keepAlive(scripts, prefix, 'ghost-process');
    await registerGhosts(scripts, prefix, 'ghost-process', rooms, ghosts);
    const watcher = sdkClient(a.url, { auth: { name: 'Watcher' } });
    const joined = await Promise.all(rooms.map((id) => watcher.join(id)));
    for (const room of joined) expect(room.members).toHaveLength(ghosts.length + 1);
    silence();
    // The ghost goes silent; once B has begun clearing it, B closes. B stops after the step under
    // way (announcing what it cleared) and leaves the rest to A.
    await waitFor(async () => expect(await redis.exists(`${prefix}reaping`)).toBe(1), { timeout: 10_000, interval: 2 });
    await b.chat.close();
    closed = true;
    await waitFor(async () => expect(await redis.exists(`${prefix}reaping`)).toBe(0), { timeout: 20_000 });
    for (const room of rooms) expect(await redis.hLen(`${prefix}members:${room}`)).toBe(1);
    // Until the watcher has been told of every ghost that left (or the test fails on its lists).
    await waitFor(() => expect(joined.map((room) => room.members.length)).toEqual(rooms.map(() => 1)), { timeout: 5000 }).catch(
      () => undefined,
    );
    return { rooms, joined, errors };
  }

  it('a process that closes while a reap is under way: every ghost cleared is still announced as left', async () => {
    const { rooms, joined } = await closeDuringReap();
    // Every ghost cleared, by B before its close or by A after, was announced.
    const stillListed = joined.map((room) => `${room.id}: ${room.members.length - 1} ghosts still listed`);
    expect(stillListed).toEqual(rooms.map((r) => `${r}: 0 ghosts still listed`));
  });

  it('a closed server reports no errors from reap work done after its close', async () => {
    const { errors } = await closeDuringReap();
    expect(errors.slice(0, 3)).toEqual([]);
  });

  it('two servers reaping the same dead process at once: every member leaves once on both, nothing left', async () => {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const rooms = ['two-a', 'two-b', 'two-c', 'two-d'];
    const ghosts = Array.from({ length: 150 }, (_, i) => `g${String(i).padStart(3, '0')}`);
    const opts = { url: REDIS_URL, keyPrefix: prefix, heartbeatMs: 100, staleAfterMs: STALE_MS, reapStep: 3 };
    const a = await startChat({ cluster: redisCluster(opts), presenceCoalesceMs: 10 });
    const b = await startChat({ cluster: redisCluster(opts), presenceCoalesceMs: 10 });
    await Promise.all([a.chat.ready(), b.chat.ready()]);
    const silence = keepAlive(scripts, prefix, 'ghost');
    await registerGhosts(scripts, prefix, 'ghost', rooms, ghosts);
    const left = new Map<string, number>();
    const watch = async (url: string, name: string) => {
      const joined = await Promise.all(rooms.map((id) => sdkClient(url, { auth: { name } }).join(id)));
      for (const room of joined) {
        expect(room.members.length).toBeGreaterThanOrEqual(ghosts.length + 1);
        room.on('presence', (d) => {
          for (const { id } of d.left) left.set(`${name}/${room.id}/${id}`, (left.get(`${name}/${room.id}/${id}`) ?? 0) + 1);
        });
      }
      return joined;
    };
    // One client per room per server, so each server's own sockets hear the deltas.
    const onA = await watch(a.url, 'WatchA');
    const onB = await watch(b.url, 'WatchB');
    silence();
    for (const room of [...onA, ...onB]) await waitFor(() => expect(room.members.length).toBe(2), { timeout: 15_000 });
    // Every left event has come (a second one for the same member would be counted as it arrives).
    await waitFor(() => expect(left.size).toBe(2 * rooms.length * ghosts.length));
    const twice = [...left].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(left.size).toBe(2 * rooms.length * ghosts.length);
    // The rooms are stepped through first, the dead process's users after: the last steps may still
    // be under way when the last member has been announced as left.
    await waitFor(async () => expect(await redis.exists(`${prefix}reaping`)).toBe(0), { timeout: 10_000 });
    expect(await redis.keys(`${prefix}*ghost*`)).toEqual([]);
  });

  it('members joining and leaving a large room while it is scanned in steps: every ghost entry is cleared, once', async () => {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const ghosts = Array.from({ length: 300 }, (_, i) => `g${i}`);
    await registerGhosts(scripts, prefix, 'dead', ['big'], ghosts);
    await scripts.run(HEARTBEAT, [`${prefix}procs`], ['live']);
    const beating = setInterval(() => void scripts.run(HEARTBEAT, [`${prefix}procs`], ['live']), 100);
    track(() => clearInterval(beating));
    await makeStale(scripts, prefix, 'dead');
    // Churn: others come and go in the same room (the hash grows and shrinks: rehashes mid-scan).
    let stop = false;
    const churn = (async () => {
      let n = 0;
      while (!stop) {
        const batch = Array.from({ length: 40 }, (_, i) => `o${n + i}`);
        n += 40;
        await Promise.all(
          batch.map((id) =>
            scripts.run(
              JOIN,
              [`${prefix}members:big`, `${prefix}names:big`, `${prefix}procs`, `${prefix}proc:live:rooms`, `${prefix}users`],
              [
                id,
                nameKey(id),
                'live',
                JSON.stringify({ id, name: id, status: 'online', joinedAt: '' }),
                String(STALE_MS),
                'big',
                'add',
                '1',
              ],
            ),
          ),
        );
        if (n % 400 === 0) {
          const gone = Array.from({ length: 380 }, (_, i) => `o${n - 400 + i}`);
          await Promise.all(
            gone.map((id) =>
              scripts.run(LEAVE, [`${prefix}members:big`, `${prefix}names:big`, `${prefix}procs`], [id, 'live', String(STALE_MS)]),
            ),
          );
        }
      }
    })();
    const announced = new Map<string, number>();
    let more = true;
    let steps = 0;
    while (more) {
      const reply = (await scripts.run(REAP, [`${prefix}procs`], [String(STALE_MS), prefix, '10'])) as [string[], string[], number];
      for (let i = 0; i < reply[0].length; i += 2)
        announced.set(reply[0][i + 1] as string, (announced.get(reply[0][i + 1] as string) ?? 0) + 1);
      more = reply[2] === 1;
      steps++;
    }
    stop = true;
    await churn;
    expect(steps).toBeGreaterThan(0);
    const left = await redis.hGetAll(`${prefix}members:big`);
    const withGhost = Object.entries(left).filter(([, raw]) => (JSON.parse(raw) as { p: Record<string, number> }).p['dead'] !== undefined);
    expect(withGhost.map(([k]) => k)).toEqual([]);
    expect([...announced.keys()].sort()).toEqual([...ghosts].sort());
    expect([...announced.values()].every((n) => n === 1)).toBe(true);
  });

  it('mixed versions: an old atomic REAP and new steps on the same dead process leave nothing behind', async () => {
    const prefix = freshPrefix();
    const { redis, scripts } = await redisScripts();
    const users = Array.from({ length: 200 }, (_, i) => `u${i}`);
    await registerGhosts(scripts, prefix, 'dead', ['r1', 'r2'], users);
    await makeStale(scripts, prefix, 'dead');
    const gone: string[] = [];
    const take = (reply: unknown) => {
      const [out = []] = reply as [string[]];
      for (let i = 0; i < out.length; i += 2) gone.push(`${out[i]}/${out[i + 1]}`);
    };
    // New: a few steps (process now in `reaping`, a cursor kept).
    for (let i = 0; i < 3; i++) take(await scripts.run(REAP, [`${prefix}procs`], [String(STALE_MS), prefix, '10']));
    // It beats again, then dies again: an old process finds it in `procs` and clears it at once.
    await scripts.run(HEARTBEAT, [`${prefix}procs`], ['dead']);
    await makeStale(scripts, prefix, 'dead');
    take(await scripts.run(OLD_REAP, [`${prefix}procs`], [String(STALE_MS), prefix]));
    // New steps go on from their stale state.
    let more = true;
    while (more) {
      const reply = await scripts.run(REAP, [`${prefix}procs`], [String(STALE_MS), prefix, '10']);
      take(reply);
      more = (reply as [unknown, unknown, number])[2] === 1;
    }
    expect(new Set(gone).size).toBe(gone.length);
    expect(gone.length).toBe(users.length * 2);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});
