/**
 * Lua scripts of ephemeral rooms in Redis (the layout is in redis-scripts.ts): each runs atomically,
 * so a seq, a rev and a resend check agree when several processes write to one room at once.
 */

/**
 * KEYS: seq, byClientId, byId, epoch, rev, revs. ARGV: message JSON starting with {"seq":-1,
 * (spliced, never decoded: cjson would turn [] into {} and round long numbers), ttlMs,
 * counterTtlMs, text, mentions JSON. Returns {duplicate (0|1), json}.
 */
export const EPHEMERAL_APPEND = `
local existing = redis.call('GET', KEYS[2])
if existing then return {1, existing} end
local seq = redis.call('INCR', KEYS[1])
local json = '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 11)
redis.call('SET', KEYS[2], json, 'PX', ARGV[2])
redis.call('HSET', KEYS[3], 'b', json, 's', seq, 'v', 0, 't', ARGV[4], 'm', ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
-- The counters and the epoch live and die together: a counter that started over under the
-- same epoch would make clients skip what it numbers again.
for i = 4, 6 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {0, json}
`;

/**
 * KEYS: epoch, seq, rev, revs. ARGV: a new epoch, counterTtlMs. Returns the room's epoch, making
 * it when there is none, with the counters set to expire with it (from then on every append and
 * change refreshes all of them together).
 */
export const EPHEMERAL_EPOCH = `
local epoch = redis.call('GET', KEYS[1])
if epoch then return epoch end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return ARGV[1]
`;

// Reads a held message: {hash fields as a flat list, then emoji, count, {first user ids} per emoji}.
// Hash fields: b = the JSON as sent, s = seq, v = rev, t = text, m = mentions JSON, and after a
// change a = attachments JSON, ed = editedAt, dd = deletedAt, n = the reaction order counter.
const EPHEMERAL_PRELUDE = `
local function read(h, ekey, rprefix, listed)
  local fields = redis.call('HGETALL', h)
  if #fields == 0 then return false end
  local out = {fields}
  for _, e in ipairs(redis.call('ZRANGE', ekey, 0, -1)) do
    local rkey = rprefix .. e
    table.insert(out, e)
    table.insert(out, redis.call('ZCARD', rkey))
    table.insert(out, redis.call('ZRANGE', rkey, 0, listed - 1))
  end
  return out
end
`;

/** KEYS: message, emojis. ARGV: reaction key prefix, listed ids per emoji. Returns the read, or nil. */
export const EPHEMERAL_READ = `${EPHEMERAL_PRELUDE}
return read(KEYS[1], KEYS[2], ARGV[1], tonumber(ARGV[2]))
`;

/**
 * One change, atomically. KEYS: message, emojis, rev, revs, seq, epoch. ARGV: reaction key
 * prefix, listed ids, counterTtlMs, message id, type, then edit: text, mentions JSON, at;
 * delete: at; react: emoji, user, maxEmojis; unreact: emoji, user.
 * Returns {'OK', changed (0|1), read} or {'GONE'} (not held), {'DELETED'}, {'FULL'} (too many emojis).
 */
export const EPHEMERAL_CHANGE = `${EPHEMERAL_PRELUDE}
local h, ekey, rprefix = KEYS[1], KEYS[2], ARGV[1]
if redis.call('EXISTS', h) == 0 then return {'GONE'} end
local deleted = redis.call('HEXISTS', h, 'dd') == 1
local kind = ARGV[5]
local changed = true
if kind == 'edit' then
  if deleted then return {'DELETED'} end
  if redis.call('HGET', h, 't') == ARGV[6] and redis.call('HGET', h, 'm') == ARGV[7] then
    changed = false
  else
    redis.call('HSET', h, 't', ARGV[6], 'm', ARGV[7], 'ed', ARGV[8])
  end
elseif kind == 'delete' then
  if deleted then
    changed = false
  else
    redis.call('HSET', h, 't', '', 'a', '[]', 'm', '[]', 'dd', ARGV[6])
    for _, e in ipairs(redis.call('ZRANGE', ekey, 0, -1)) do redis.call('DEL', rprefix .. e) end
    redis.call('DEL', ekey)
  end
elseif kind == 'react' then
  if deleted then return {'DELETED'} end
  local rkey = rprefix .. ARGV[6]
  if redis.call('ZSCORE', rkey, ARGV[7]) then
    changed = false
  else
    if not redis.call('ZSCORE', ekey, ARGV[6]) then
      if redis.call('ZCARD', ekey) >= tonumber(ARGV[8]) then return {'FULL'} end
      redis.call('ZADD', ekey, redis.call('HINCRBY', h, 'n', 1), ARGV[6])
    end
    redis.call('ZADD', rkey, redis.call('HINCRBY', h, 'n', 1), ARGV[7])
    -- Reactions are forgotten with their message.
    local ttl = redis.call('PTTL', h)
    if ttl > 0 then
      redis.call('PEXPIRE', rkey, ttl)
      redis.call('PEXPIRE', ekey, ttl)
    end
  end
else
  local rkey = rprefix .. ARGV[6]
  if redis.call('ZREM', rkey, ARGV[7]) == 0 then
    changed = false
  elseif redis.call('ZCARD', rkey) == 0 then
    redis.call('ZREM', ekey, ARGV[6])
  end
end
if changed then
  local rev = redis.call('INCR', KEYS[3])
  redis.call('HSET', h, 'v', rev)
  redis.call('ZADD', KEYS[4], rev, ARGV[4])
  -- Entries of messages Redis no longer holds would stay as long as the room keeps changing:
  -- each change drops those among the two oldest, so the index never outgrows what is held.
  local base = string.sub(h, 1, #h - #ARGV[4])
  for _, old in ipairs(redis.call('ZRANGE', KEYS[4], 0, 1)) do
    if redis.call('EXISTS', base .. old) == 0 then redis.call('ZREM', KEYS[4], old) end
  end
  for i = 3, 6 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
end
return {'OK', changed and 1 or 0, read(h, ekey, rprefix, tonumber(ARGV[2]))}
`;

/**
 * Messages changed after a rev, in rev order. KEYS: revs. ARGV: key prefix of the room's
 * messages (`P eph:`), room, changedAfter, minSeq, maxSeq, limit, listed ids. Entries of
 * messages no longer held are dropped on the way. Returns {hasMore (0|1), {read...}}.
 */
export const EPHEMERAL_CHANGED = `${EPHEMERAL_PRELUDE}
local P, room = ARGV[1], ARGV[2]
local minSeq, maxSeq, limit, listed = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local cursor = '(' .. ARGV[3]
local out = {}
local more = 0
while more == 0 do
  local batch = redis.call('ZRANGEBYSCORE', KEYS[1], cursor, '+inf', 'WITHSCORES', 'LIMIT', 0, 100)
  for i = 1, #batch, 2 do
    local id = batch[i]
    local h = P .. 'i:' .. room .. ':' .. id
    local seq = tonumber(redis.call('HGET', h, 's'))
    if not seq then
      redis.call('ZREM', KEYS[1], id)
    elseif seq >= minSeq and seq <= maxSeq then
      if #out == limit then
        more = 1
        break
      end
      table.insert(out, read(h, P .. 'e:' .. room .. ':' .. id, P .. 'r:' .. room .. ':' .. id .. ':', listed))
    end
    cursor = '(' .. batch[i + 1]
  end
  if #batch < 200 then break end
end
return {more, out}
`;
