/**
 * Lua scripts of the Redis cluster. Each runs atomically in Redis, which is what keeps a
 * name check and a member count right when several processes act at once. Times come from
 * Redis (`TIME`), so processes on machines with skewed clocks agree on who is alive.
 *
 * Layout (prefix P): `P procs` zset process -> last heartbeat ms; `P proc:<id>:rooms` set;
 * `P members:<room>` hash user -> {m: member, n: name key, p: {process: sockets}};
 * `P names:<room>` hash name key -> user; `P typing:<room>` hash user -> {u, e: expiry ms};
 * `P eph:seq:<room>`, `P eph:c:<room>:<clientId>`, `P eph:i:<room>:<id>` for ephemeral rooms.
 * The reaper touches keys it computes, so this needs a single Redis (or one hash slot), not Redis Cluster.
 */

const PRELUDE = `
local t = redis.call('TIME')
local NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function alive(procs, p, stale)
  local s = redis.call('ZSCORE', procs, p)
  return s and (NOW - tonumber(s)) <= stale
end
-- Drops processes that are dead or hold no socket; returns how many live ones remain.
local function prune(e, procs, stale)
  local live = 0
  for p, c in pairs(e.p) do
    if c > 0 and alive(procs, p, stale) then live = live + 1 else e.p[p] = nil end
  end
  return live
end
`;

/** KEYS: members, names, procs, procRooms. ARGV: user, nameKey, process, memberJson, staleMs, room, mode (add|set), count. */
export const JOIN = `${PRELUDE}
local stale = tonumber(ARGV[5])
local owner = redis.call('HGET', KEYS[2], ARGV[2])
local ghost = ''
if owner and owner ~= ARGV[1] then
  local raw = redis.call('HGET', KEYS[1], owner)
  if raw then
    if prune(cjson.decode(raw), KEYS[3], stale) > 0 then return {'TAKEN'} end
    redis.call('HDEL', KEYS[1], owner)
    ghost = owner
  end
end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local e, joined
if raw then
  e = cjson.decode(raw)
  joined = prune(e, KEYS[3], stale) == 0
else
  e = { p = {} }
  joined = true
end
if joined then e.m = cjson.decode(ARGV[4]) end
e.n = ARGV[2]
if ARGV[7] == 'set' then e.p[ARGV[3]] = tonumber(ARGV[8]) else e.p[ARGV[3]] = (e.p[ARGV[3]] or 0) + 1 end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[6])
return {joined and 'JOINED' or 'ALREADY', cjson.encode(e.m), ghost}
`;

/** KEYS: members, names, procs. ARGV: user, process, staleMs. Returns {1, memberJson} when the user left. */
export const LEAVE = `${PRELUDE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {0} end
local e = cjson.decode(raw)
local c = (e.p[ARGV[2]] or 0) - 1
if c > 0 then e.p[ARGV[2]] = c else e.p[ARGV[2]] = nil end
if prune(e, KEYS[3], tonumber(ARGV[3])) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
  return {0}
end
redis.call('HDEL', KEYS[1], ARGV[1])
if e.n and redis.call('HGET', KEYS[2], e.n) == ARGV[1] then redis.call('HDEL', KEYS[2], e.n) end
return {1, cjson.encode(e.m)}
`;

/** KEYS: members, procs. ARGV: staleMs, then user ids (none: everyone). Returns member JSONs of live users. */
export const LIST = `${PRELUDE}
local out = {}
local raws
if #ARGV > 1 then raws = redis.call('HMGET', KEYS[1], unpack(ARGV, 2)) else raws = redis.call('HVALS', KEYS[1]) end
for i = 1, #raws do
  local raw = raws[i]
  if raw then
    local e = cjson.decode(raw)
    if prune(e, KEYS[2], tonumber(ARGV[1])) > 0 then table.insert(out, cjson.encode(e.m)) end
  end
end
return out
`;

/** KEYS: procs. ARGV: process. */
export const HEARTBEAT = `${PRELUDE}
redis.call('ZADD', KEYS[1], NOW, ARGV[1])
return NOW
`;

/**
 * KEYS: procs. ARGV: staleMs, prefix, and optionally a process to reap now (a graceful close).
 * Removes dead processes' sockets; returns room, user pairs of users who are gone everywhere.
 */
export const REAP = `${PRELUDE}
local stale = tonumber(ARGV[1])
local P = ARGV[2]
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', NOW - stale)
if ARGV[3] then table.insert(dead, ARGV[3]); redis.call('ZREM', KEYS[1], ARGV[3]) end
local out = {}
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
end
return out
`;

/** KEYS: typing hash. ARGV: set|del, user, userJson, ttlMs. Returns the live list, or nil for a del of nobody. */
export const TYPING = `${PRELUDE}
if ARGV[1] == 'set' then
  redis.call('HSET', KEYS[1], ARGV[2], cjson.encode({ u = cjson.decode(ARGV[3]), e = NOW + tonumber(ARGV[4]) }))
elseif redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then
  return false
end
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if entry.e > NOW then table.insert(out, cjson.encode(entry.u)) else redis.call('HDEL', KEYS[1], all[i]) end
end
redis.call('PEXPIRE', KEYS[1], 60000)
return out
`;

/**
 * KEYS: seq, byClientId, byId. ARGV: message JSON starting with {"seq":-1, (spliced, never
 * decoded: cjson would turn [] into {}), ttlMs. Returns {duplicate (0|1), json}.
 */
export const EPHEMERAL_APPEND = `
local existing = redis.call('GET', KEYS[2])
if existing then return {1, existing} end
local seq = redis.call('INCR', KEYS[1])
local json = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 11)
redis.call('SET', KEYS[2], json, 'PX', ARGV[2])
redis.call('SET', KEYS[3], json, 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[1], 86400000)
return {0, json}
`;
