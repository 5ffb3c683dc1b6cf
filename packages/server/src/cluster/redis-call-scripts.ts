import { LIVENESS } from './redis-scripts.js';

/**
 * Lua scripts of the calls in Redis. Layout (prefix P): `P call:<id>` hash {s: the call's state
 * JSON (never decoded by Lua), v: its version, p: the processes of its participants, space
 * separated}; `P room-call:<room>` the id of the room's call; `P proc:<process>:calls` set of the
 * calls with participants on that process; `P callprocs` set of those processes. Liveness is the
 * cluster's: a process is alive while its heartbeat in `P procs` is fresh (Redis `TIME`).
 * Like the rest of the cluster, keys are computed inside scripts: one Redis, not Redis Cluster.
 */

const PRELUDE = `${LIVENESS}local function words(s)
  local out = {}
  for w in string.gmatch(s or '', '%S+') do out[w] = true end
  return out
end
-- {state JSON, {dead processes}} of a call hash, or false.
local function read(key, procs, stale)
  local f = redis.call('HMGET', key, 's', 'p')
  if not f[1] then return false end
  local dead = {}
  for p in pairs(words(f[2])) do
    if not alive(procs, p, stale) then table.insert(dead, p) end
  end
  return {f[1], dead}
end
local function track(P, id, procs)
  for p in pairs(words(procs)) do
    redis.call('SADD', P .. 'callprocs', p)
    redis.call('SADD', P .. 'proc:' .. p .. ':calls', id)
  end
end
`;

/** KEYS: call, procs. ARGV: staleMs. Returns {json, {dead processes}} or nil. */
export const CALL_READ = `${PRELUDE}
return read(KEYS[1], KEYS[2], tonumber(ARGV[1]))
`;

/** KEYS: room-call, procs. ARGV: staleMs, prefix. Returns {json, {dead processes}} of the room's call, or nil. */
export const CALL_OF_ROOM = `${PRELUDE}
local id = redis.call('GET', KEYS[1])
if not id then return false end
local found = read(ARGV[2] .. 'call:' .. id, KEYS[2], tonumber(ARGV[1]))
if not found then redis.call('DEL', KEYS[1]) end
return found
`;

/**
 * KEYS: room-call, call. ARGV: id, json, version, processes, prefix. Returns {1} when stored, or
 * {0, id of the room's call} (a room key whose call is gone is taken over).
 */
export const CALL_CREATE = `${PRELUDE}
local existing = redis.call('GET', KEYS[1])
if existing and redis.call('EXISTS', ARGV[5] .. 'call:' .. existing) == 1 then return {0, existing} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 's', ARGV[2], 'v', ARGV[3], 'p', ARGV[4])
track(ARGV[5], ARGV[1], ARGV[4])
return {1}
`;

/**
 * Compare-and-set. KEYS: call, room-call. ARGV: expected version, json, version, processes,
 * ended (1|0), id, prefix. Returns 1 when written, 0 when the call moved on (or is gone).
 */
export const CALL_REPLACE = `${PRELUDE}
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
local P, id = ARGV[7], ARGV[6]
local before = words(redis.call('HGET', KEYS[1], 'p'))
local after = {}
if ARGV[5] == '1' then
  redis.call('DEL', KEYS[1])
  if redis.call('GET', KEYS[2]) == id then redis.call('DEL', KEYS[2]) end
else
  after = words(ARGV[4])
  redis.call('HSET', KEYS[1], 's', ARGV[2], 'v', ARGV[3], 'p', ARGV[4])
  track(P, id, ARGV[4])
end
for p in pairs(before) do
  if not after[p] then redis.call('SREM', P .. 'proc:' .. p .. ':calls', id) end
end
return 1
`;

/**
 * KEYS: callprocs, procs. ARGV: staleMs, prefix. Processes that hold no call any more leave
 * \`callprocs\`; returns {process, {call ids}} pairs of the dead ones that still hold calls (the
 * server drops their participants, which takes the calls out of their sets).
 */
export const CALL_ORPHANS = `${PRELUDE}
local stale, P = tonumber(ARGV[1]), ARGV[2]
local out = {}
for _, p in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local set = P .. 'proc:' .. p .. ':calls'
  if not alive(KEYS[2], p, stale) then
    local ids = {}
    for _, id in ipairs(redis.call('SMEMBERS', set)) do
      if redis.call('EXISTS', P .. 'call:' .. id) == 1 then table.insert(ids, id) else redis.call('SREM', set, id) end
    end
    if #ids > 0 then
      table.insert(out, p)
      table.insert(out, ids)
    end
  end
  if redis.call('SCARD', set) == 0 then redis.call('SREM', KEYS[1], p) end
end
return out
`;
