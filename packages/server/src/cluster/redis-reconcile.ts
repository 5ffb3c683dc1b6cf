import type { UserRef } from '@chat/protocol';
import type { ScriptRunner } from './redis-commands.js';
import type { RedisPresenceConfig } from './redis-keys.js';
import { PRELUDE } from './redis-scripts.js';

/**
 * After a failover of a Redis Cluster, the entries a process has in Redis may not be the sockets
 * it has: replication is asynchronous, so the promoted replica may lack a leave (a ghost) or a
 * join the old primary acknowledged, and a write whose answer was lost may have been done or not.
 * The re-registration (JOIN and USER_CONNECT in `set` mode) puts back what the process has; these
 * scripts then take out this process's part of every entry it does not have, so that its
 * registrations in Redis are its live sockets, neither more nor less.
 */

/**
 * KEYS: members, names, procs, procRooms. ARGV: process, staleMs, room, HSCAN cursor, count, then
 * the users this process has in the room. One step over the room's members: this process's
 * sockets leave every entry of a user it does not have; a user with no socket left on a live
 * process leaves the room. Returns {next cursor, users who left}; at the end of a room where the
 * process has nobody, the room leaves its `proc:<id>:rooms`.
 */
const DROP_MEMBERS = `${PRELUDE}
local proc = ARGV[1]
local stale = tonumber(ARGV[2])
local kept = {}
for i = 6, #ARGV do kept[ARGV[i]] = true end
local page = redis.call('HSCAN', KEYS[1], ARGV[4], 'COUNT', tonumber(ARGV[5]))
local gone = {}
local kv = page[2]
for i = 1, #kv, 2 do
  local uid = kv[i]
  if not kept[uid] then
    local e = cjson.decode(kv[i + 1])
    if e.p[proc] then
      e.p[proc] = nil
      if prune(e, KEYS[3], stale) > 0 then
        redis.call('HSET', KEYS[1], uid, cjson.encode(e))
      else
        redis.call('HDEL', KEYS[1], uid)
        if e.n and redis.call('HGET', KEYS[2], e.n) == uid then redis.call('HDEL', KEYS[2], e.n) end
        table.insert(gone, uid)
      end
    end
  end
end
if page[1] == '0' and #ARGV < 6 then redis.call('SREM', KEYS[4], ARGV[3]) end
return {page[1], gone}
`;

/**
 * KEYS: users, procs, procUsers. ARGV: process, staleMs, SSCAN cursor, count, then the users this
 * process has online. One step over the users this process counts: its sockets leave the entry
 * of each user it does not have. Returns {next cursor, user ref JSONs of users now offline}.
 */
const DROP_USERS = `${PRELUDE}
local proc = ARGV[1]
local stale = tonumber(ARGV[2])
local kept = {}
for i = 5, #ARGV do kept[ARGV[i]] = true end
local page = redis.call('SSCAN', KEYS[3], ARGV[3], 'COUNT', tonumber(ARGV[4]))
local offline = {}
for _, uid in ipairs(page[2]) do
  if not kept[uid] then
    redis.call('SREM', KEYS[3], uid)
    local raw = redis.call('HGET', KEYS[1], uid)
    if raw then
      local e = cjson.decode(raw)
      if e.p[proc] then
        e.p[proc] = nil
        if prune(e, KEYS[2], stale) > 0 then
          redis.call('HSET', KEYS[1], uid, cjson.encode(e))
        else
          redis.call('HDEL', KEYS[1], uid)
          if e.u then table.insert(offline, cjson.encode(e.u)) end
        end
      end
    end
  end
end
return {page[1], offline}
`;

const SMEMBERS = `return redis.call('SMEMBERS', KEYS[1])`;

// Entries one step scans: Redis runs nothing else while a script runs.
const STEP = 500;

/**
 * What a process has, read again for each step (a join under way counts: its entry may be in Redis
 * before the process records it).
 */
export interface LiveSockets {
  /** The users this process has in the room. */
  inRoom(roomId: string): string[];
  /** The users this process has online. */
  online(): string[];
}

/** What the drop took out: users who left a room, users now offline. */
export interface Dropped {
  gone: Array<{ roomId: string; userId: string }>;
  offline: UserRef[];
}

/** Takes this process's part out of every entry in Redis it does not have in `live` (see above). */
export async function dropNotLive(scripts: ScriptRunner, config: RedisPresenceConfig, live: LiveSockets): Promise<Dropped> {
  const { keys, processId, staleAfterMs } = config;
  const dropped: Dropped = { gone: [], offline: [] };
  // The groups of rooms' presence (on one Redis, the one group of everything).
  const roomGroups = keys.sharded ? keys.groups.filter((group) => group !== keys.users && group !== keys.calls) : [keys.users];
  for (const g of roomGroups) {
    const registered = (await scripts.run(SMEMBERS, [`${g}proc:${processId}:rooms`], [])) as string[];
    for (const roomId of registered) {
      let cursor = '0';
      do {
        const [next, gone] = (await scripts.run(
          DROP_MEMBERS,
          [`${g}members:${roomId}`, `${g}names:${roomId}`, `${g}procs`, `${g}proc:${processId}:rooms`],
          [processId, String(staleAfterMs), roomId, cursor, String(STEP), ...live.inRoom(roomId)],
        )) as [string, string[]];
        cursor = String(next);
        for (const userId of gone) dropped.gone.push({ roomId, userId });
      } while (cursor !== '0');
    }
  }
  const u = keys.users;
  let cursor = '0';
  do {
    const [next, offline] = (await scripts.run(
      DROP_USERS,
      [`${u}users`, `${u}procs`, `${u}proc:${processId}:users`],
      [processId, String(staleAfterMs), cursor, String(STEP), ...live.online()],
    )) as [string, string[]];
    cursor = String(next);
    for (const json of offline) dropped.offline.push(JSON.parse(json) as UserRef);
  } while (cursor !== '0');
  return dropped;
}
