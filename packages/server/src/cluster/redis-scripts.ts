/**
 * Lua scripts of the Redis cluster. Each runs atomically in Redis, which is what keeps a
 * name check and a member count right when several processes act at once. Times come from
 * Redis (`TIME`), so processes on machines with skewed clocks agree on who is alive.
 *
 * Layout (prefix P): `P procs` zset process -> last heartbeat ms; `P proc:<id>:rooms` set;
 * `P members:<room>` hash user -> {m: member, n: name key, p: {process: sockets}};
 * `P users` hash user -> {u: user ref, p: {process: sockets}, s: status, t: status text} for
 * users online anywhere, and `P proc:<id>:users` set of the users a process counts there;
 * `P names:<room>` hash name key -> user; `P typing:<room>` hash user -> {u, e: expiry ms};
 * Ephemeral rooms: counters `P eph:seq:<room>`, `P eph:rev:<room>`, `P eph:epoch:<room>` (they
 * expire together), `P eph:revs:<room>` zset message id -> rev, `P eph:c:<room>:<clientId>` the
 * message as sent (resends; `P eph:c2:<room> <clientId>` for a clientId with ':'), `P eph:i:<room>:<id>`
 * hash of the message now (see EPHEMERAL_READ in redis-ephemeral-scripts.ts; ids with ':' are never held, see redis-ephemeral.ts),
 * `P eph:e:<room>:<id>` zset of its emojis and `P eph:r:<room>:<id>:<emoji>` zset of who reacted.
 * The reaper touches keys it computes from the prefix, so all of a prefix's keys must be in one slot:
 * on a Redis Cluster each prefix here is a group with a hash tag (redis-keys.ts), with its own
 * `procs`, and the reaper runs once per group.
 */

/** Redis's clock as `NOW` (ms) and `alive(procs, p, stale)`: whether process `p`'s heartbeat is fresh. For every script that judges processes. */
export const LIVENESS = `
local t = redis.call('TIME')
local NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function alive(procs, p, stale)
  local s = redis.call('ZSCORE', procs, p)
  return s and (NOW - tonumber(s)) <= stale
end
`;

/** LIVENESS with `prune(entry, procs, stale)`, `sockets(...)` and `withStatus(...)`: the helpers of the scripts on member and user entries. */
export const PRELUDE = `${LIVENESS}-- Drops processes that are dead or hold no socket; returns how many live ones remain.
local function prune(e, procs, stale)
  local live = 0
  for p, c in pairs(e.p) do
    if c > 0 and alive(procs, p, stale) then live = live + 1 else e.p[p] = nil end
  end
  return live
end
-- Sockets on live processes.
local function sockets(e, procs, stale)
  local n = 0
  for p, c in pairs(e.p) do
    if c > 0 and alive(procs, p, stale) then n = n + c end
  end
  return n
end
-- A member as others see it: with the status its user set, while the user is online.
local function withStatus(m, users, procs, stale)
  local raw = redis.call('HGET', users, m.id)
  if raw then
    local u = cjson.decode(raw)
    if u.s and sockets(u, procs, stale) > 0 then
      m.status = u.s
      m.statusText = u.t
    end
  end
  return m
end
`;

/** KEYS: members, names, procs, procRooms, users. ARGV: user, nameKey, process, memberJson, staleMs, room, mode (add|set), count. */
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
return {joined and 'JOINED' or 'ALREADY', cjson.encode(withStatus(e.m, KEYS[5], KEYS[3], stale)), ghost}
`;

/** KEYS: members, names, procs. ARGV: user, process, staleMs. Returns {1, memberJson} when the user left, {-1} when there was no entry. */
export const LEAVE = `${PRELUDE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return {-1} end
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

/** KEYS: members, procs, users. ARGV: staleMs, then user ids (none: everyone). Returns member JSONs of live users, with their status. */
export const LIST = `${PRELUDE}
local out = {}
local raws
if #ARGV > 1 then raws = redis.call('HMGET', KEYS[1], unpack(ARGV, 2)) else raws = redis.call('HVALS', KEYS[1]) end
for i = 1, #raws do
  local raw = raws[i]
  if raw then
    local e = cjson.decode(raw)
    if prune(e, KEYS[2], tonumber(ARGV[1])) > 0 then table.insert(out, cjson.encode(withStatus(e.m, KEYS[3], KEYS[2], tonumber(ARGV[1])))) end
  end
end
return out
`;

/**
 * KEYS: procs. ARGV: process. Returns 1 when the process was not in `procs`: its first heartbeat,
 * or the group lost it (Redis restarted empty, a failover to a replica without it, or a reaper
 * found it stale), so that its registrations there may be gone; else 0.
 */
export const HEARTBEAT = `${PRELUDE}
return redis.call('ZADD', KEYS[1], NOW, ARGV[1])
`;

/**
 * KEYS: procs. ARGV: staleMs, prefix, step, and optionally a process to reap now (a graceful
 * close), then `'only'` to step that process alone (a closing process does its own part only).
 * One step of removing dead processes' sockets, touching at most about `step` member and user
 * entries, so that Redis (which runs nothing else during a script) is never held for long by a
 * process that had 10,000 sockets. A process found dead leaves `procs` at once (every script
 * already counts it out) and joins `P reaping`; each step goes on where the last one stopped, on
 * any process: the rooms left in `P proc:<id>:rooms`, the room being scanned and its HSCAN cursor
 * in `P reap:<id>`, the users left in `P proc:<id>:users`. Each entry is handled once per process
 * reaped (one seen twice by HSCAN has nothing of the dead process left), so two processes stepping
 * at once share the work. Returns {room, user pairs of users who are gone everywhere from a room,
 * user ref JSONs of users who have no socket anywhere any more, 1 if work is left (of that
 * process alone with `'only'`) else 0}.
 */
export const REAP = `${PRELUDE}
local stale = tonumber(ARGV[1])
local P = ARGV[2]
local budget = tonumber(ARGV[3])
local reaping = P .. 'reaping'
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', NOW - stale)
if ARGV[4] then table.insert(dead, ARGV[4]) end
for _, proc in ipairs(dead) do
  redis.call('ZREM', KEYS[1], proc)
  redis.call('SADD', reaping, proc)
end
local out = {}
local offline = {}
local work = 0
-- Takes the dead process's sockets out of a member entry of a room; the member leaves with the last.
local function reapMember(proc, room, mkey, nkey, uid, raw)
  local e = cjson.decode(raw)
  if not e.p[proc] then return end
  e.p[proc] = nil
  if prune(e, KEYS[1], stale) > 0 then
    redis.call('HSET', mkey, uid, cjson.encode(e))
  else
    redis.call('HDEL', mkey, uid)
    if e.n and redis.call('HGET', nkey, e.n) == uid then redis.call('HDEL', nkey, e.n) end
    table.insert(out, room)
    table.insert(out, uid)
  end
end
-- One step's work on one dead process, as far as the budget goes.
local function reapProcess(proc)
  local roomsKey = P .. 'proc:' .. proc .. ':rooms'
  local usersKey = P .. 'proc:' .. proc .. ':users'
  local at = P .. 'reap:' .. proc
  -- Alive again (it stalled past staleMs, then beat): what it still has registered is its own.
  if redis.call('ZSCORE', KEYS[1], proc) then
    redis.call('SREM', reaping, proc)
    redis.call('DEL', at)
    return
  end
  while work < budget do
    local room = redis.call('HGET', at, 'room')
    local cursor = '0'
    if room then
      cursor = redis.call('HGET', at, 'cursor') or '0'
    else
      room = redis.call('SRANDMEMBER', roomsKey)
      if not room then break end
    end
    local mkey = P .. 'members:' .. room
    local nkey = P .. 'names:' .. room
    local page = redis.call('HSCAN', mkey, cursor, 'COUNT', math.max(10, budget - work))
    local all = page[2]
    for i = 1, #all, 2 do reapMember(proc, room, mkey, nkey, all[i], all[i + 1]) end
    work = work + #all / 2 + 1
    if page[1] == '0' then
      redis.call('SREM', roomsKey, room)
      redis.call('DEL', at)
    else
      redis.call('HSET', at, 'room', room, 'cursor', page[1])
    end
  end
  if work < budget then
    local ukey = P .. 'users'
    for _, uid in ipairs(redis.call('SPOP', usersKey, math.max(1, budget - work))) do
      work = work + 1
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
  end
  if redis.call('EXISTS', roomsKey, usersKey, at) == 0 then redis.call('SREM', reaping, proc) end
end
if ARGV[5] == 'only' then
  if redis.call('SISMEMBER', reaping, ARGV[4]) == 1 then reapProcess(ARGV[4]) end
  return {out, offline, redis.call('SISMEMBER', reaping, ARGV[4])}
end
for _, proc in ipairs(redis.call('SMEMBERS', reaping)) do
  if work >= budget then break end
  reapProcess(proc)
end
return {out, offline, redis.call('SCARD', reaping) > 0 and 1 or 0}
`;

/**
 * KEYS: users, procs, procUsers. ARGV: user, process, staleMs, userJson, mode (add|set), count,
 * status JSON {s, t} or '' (restoring: the status this process remembers). Returns 1 for the
 * user's first socket anywhere (their status starts over), else 0.
 */
export const USER_CONNECT = `${PRELUDE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local e, first
if raw then
  e = cjson.decode(raw)
  first = prune(e, KEYS[2], tonumber(ARGV[3])) == 0
else
  e = { p = {} }
  first = true
end
if first then
  e.s = nil
  e.t = nil
end
e.u = cjson.decode(ARGV[4])
if ARGV[5] == 'set' then e.p[ARGV[2]] = tonumber(ARGV[6]) else e.p[ARGV[2]] = (e.p[ARGV[2]] or 0) + 1 end
if ARGV[7] ~= '' and e.s == nil then
  local st = cjson.decode(ARGV[7])
  e.s = st.s
  e.t = st.t
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
redis.call('SADD', KEYS[3], ARGV[1])
return first and 1 or 0
`;

/** KEYS: users, procs, procUsers. ARGV: user, process, staleMs. Returns 1 when it was the user's last socket anywhere. */
export const USER_DISCONNECT = `${PRELUDE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local e = cjson.decode(raw)
local c = (e.p[ARGV[2]] or 0) - 1
if c > 0 then
  e.p[ARGV[2]] = c
else
  e.p[ARGV[2]] = nil
  redis.call('SREM', KEYS[3], ARGV[1])
end
if prune(e, KEYS[2], tonumber(ARGV[3])) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`;

/** KEYS: users, procs. ARGV: user, staleMs, status JSON {s, t}. Returns 1 when set, 0 when the user is not online. */
export const USER_STATUS = `${PRELUDE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local e = cjson.decode(raw)
if prune(e, KEYS[2], tonumber(ARGV[2])) == 0 then return 0 end
local st = cjson.decode(ARGV[3])
e.s = st.s
e.t = st.t
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
return 1
`;

/** KEYS: users, procs. ARGV: staleMs, then user ids. Returns {i: id, s?, t?} JSONs of the users online. */
export const USER_ONLINE = `${PRELUDE}
local stale = tonumber(ARGV[1])
local out = {}
local raws = redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
for i = 1, #raws do
  local raw = raws[i]
  if raw then
    local e = cjson.decode(raw)
    if sockets(e, KEYS[2], stale) > 0 then table.insert(out, cjson.encode({ i = ARGV[i + 1], s = e.s, t = e.t })) end
  end
end
return out
`;

/** KEYS: users, members of the room, procs. ARGV: staleMs, then user ids. Returns the ids with a socket outside the room. */
export const USER_OUTSIDE = `${PRELUDE}
local stale = tonumber(ARGV[1])
local out = {}
local raws = redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
for i = 1, #raws do
  local raw = raws[i]
  if raw then
    local total = sockets(cjson.decode(raw), KEYS[3], stale)
    if total > 0 then
      local m = redis.call('HGET', KEYS[2], ARGV[i + 1])
      local inRoom = 0
      if m then inRoom = sockets(cjson.decode(m), KEYS[3], stale) end
      if total > inRoom then table.insert(out, ARGV[i + 1]) end
    end
  end
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
 * KEYS: members. A room's member count and the Redis time of the read in microseconds (scripts
 * run one at a time, so a count read later is at least as new).
 */
export const MEMBER_COUNT = `
local t = redis.call('TIME')
return {redis.call('HLEN', KEYS[1]), tonumber(t[1]) * 1000000 + tonumber(t[2])}
`;

/**
 * KEYS: members, procs, users. ARGV: staleMs, scan cursor, after, limit. A page of members by
 * HSCAN: up to `limit` members on live processes, from the scan batch at `cursor`, in the order of
 * their ids' SHA-1 past `after` (the last one given from that batch; '' for none). Returns
 * {next cursor, next after, members...}; cursor '0' with after '' is the end. A batch cut in the
 * middle is scanned again: its entries are sorted, not taken by position, because a rehash in
 * between (the hash growing past a power of two) changes their order, not which they are; so
 * someone here for the whole paging is listed, and (as with SCAN) a rehash that ends in between may
 * list someone twice.
 */
export const MEMBER_PAGE = `${PRELUDE}
local stale = tonumber(ARGV[1])
local cursor = ARGV[2]
local after = ARGV[3]
local limit = tonumber(ARGV[4])
local out = {'0', ''}
local rounds = 0
repeat
  local r = redis.call('HSCAN', KEYS[1], cursor, 'COUNT', limit)
  local kv = r[2]
  local batch = {}
  for i = 1, #kv, 2 do
    local key = redis.sha1hex(kv[i])
    if key > after then table.insert(batch, {key, kv[i + 1]}) end
  end
  table.sort(batch, function(a, b) return a[1] < b[1] end)
  for j = 1, #batch do
    local e = cjson.decode(batch[j][2])
    if prune(e, KEYS[2], stale) > 0 then table.insert(out, cjson.encode(withStatus(e.m, KEYS[3], KEYS[2], stale))) end
    if #out - 2 >= limit and j < #batch then
      out[1] = cursor
      out[2] = batch[j][1]
      return out
    end
  end
  after = ''
  cursor = r[1]
  rounds = rounds + 1
until cursor == '0' or #out - 2 >= limit or rounds >= 64
out[1] = cursor
out[2] = ''
return out
`;

/**
 * KEYS: a hash of entries with sockets per process (`members:<room>` or `users`), procs. ARGV:
 * staleMs, then user ids. Returns each user's sockets on live processes, in the order asked (a
 * Redis Cluster's USER_OUTSIDE: the two hashes are in two slots there).
 */
export const SOCKET_COUNTS = `${PRELUDE}
local stale = tonumber(ARGV[1])
local out = {}
local raws = redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
for i = 1, #raws do
  local raw = raws[i]
  if raw then out[i] = sockets(cjson.decode(raw), KEYS[2], stale) else out[i] = 0 end
end
return out
`;
