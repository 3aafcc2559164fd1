/**
 * Lua scripts of the Redis store. Each touches exactly KEYS[1] (so it runs on Redis Cluster) and
 * reads the clock with TIME on the server (so no client clock skew can widen a window). Redis ≥ 5
 * replicates script effects, which makes TIME safe to call before writes. The arithmetic mirrors
 * `@llmguard/core`'s rate-math, so the memory and Redis stores decide the same way.
 */

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
`;

/** ARGV: algorithm, limit, windowMs, cost, force(0|1). Returns {allowed, remaining, resetMs, retryAfterMs}. */
export const CONSUME = `${NOW}
local key = KEYS[1]
local alg = ARGV[1]
local limit = tonumber(ARGV[2])
local w = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local force = ARGV[5] == '1'
if alg == 'gcra' then
  local interval = w / limit
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  local nxt = tat + cost * interval
  local fits = nxt - now <= w + 0.000001
  if fits or force then tat = nxt end
  local used = tat - now
  if (fits or force) and used > 0 then
    redis.call('SET', key, string.format('%.6f', tat), 'PX', math.ceil(used))
  end
  local remaining = math.floor((w - used) / interval + 0.000001)
  if remaining < 0 then remaining = 0 end
  local retry = 0
  if not fits then retry = math.max(1, math.ceil(nxt - now - w)) end
  return {fits and 1 or 0, remaining, math.ceil(used), retry}
elseif alg == 'sliding-window' then
  local cur = math.floor(now / w) * w
  local h = redis.call('HMGET', key, 's', 'p', 'c')
  local s = tonumber(h[1])
  local p = tonumber(h[2]) or 0
  local c = tonumber(h[3]) or 0
  if s == nil then
    s = cur p = 0 c = 0
  elseif s ~= cur then
    if s == cur - w then p = c else p = 0 end
    c = 0
    s = cur
  end
  local elapsed = now - cur
  local weight = (w - elapsed) / w
  local est = p * weight + c
  local fits = est + cost <= limit
  if fits or force then c = c + cost end
  redis.call('HSET', key, 's', string.format('%d', s), 'p', string.format('%d', p), 'c', string.format('%d', c))
  redis.call('PEXPIRE', key, math.ceil(cur + 2 * w - now))
  local remaining = math.floor(limit - (p * weight + c))
  if remaining < 0 then remaining = 0 end
  local retry = 0
  if not fits then
    if p > 0 and c + cost <= limit then
      retry = math.ceil(w - (limit - c - cost) * w / p - elapsed)
    else
      local share = 0
      if c > 0 then share = math.max(0, 1 - (limit - cost) / c) end
      retry = math.ceil(w - elapsed + share * w)
    end
    retry = math.max(1, retry)
  end
  local reset = 0
  if c > 0 then reset = 2 * w - elapsed elseif p > 0 then reset = w - elapsed end
  return {fits and 1 or 0, remaining, math.ceil(reset), retry}
else
  local c = tonumber(redis.call('GET', key) or '0')
  local pttl = redis.call('PTTL', key)
  if pttl < 0 then pttl = w end
  local fits = c + cost <= limit
  if fits or force then
    if c == 0 and redis.call('EXISTS', key) == 0 then
      redis.call('SET', key, cost, 'PX', w)
    else
      redis.call('INCRBY', key, cost)
    end
    c = c + cost
  end
  local remaining = limit - c
  if remaining < 0 then remaining = 0 end
  local retry = 0
  if not fits then retry = pttl end
  return {fits and 1 or 0, remaining, pttl, retry}
end
`;

/** ARGV: algorithm, limit, windowMs, amount. */
export const REFUND = `${NOW}
local key = KEYS[1]
local alg = ARGV[1]
local limit = tonumber(ARGV[2])
local w = tonumber(ARGV[3])
local amount = tonumber(ARGV[4])
if alg == 'gcra' then
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat == 0 then return 0 end
  tat = math.max(now, tat - amount * w / limit)
  if tat > now then
    redis.call('SET', key, string.format('%.6f', tat), 'PX', math.ceil(tat - now))
  else
    redis.call('DEL', key)
  end
elseif alg == 'sliding-window' then
  local h = redis.call('HMGET', key, 's', 'c')
  local s = tonumber(h[1])
  if s == nil then return 0 end
  local cur = math.floor(now / w) * w
  if s == cur or s == cur - w then
    local c = math.max(0, (tonumber(h[2]) or 0) - amount)
    redis.call('HSET', key, 'c', string.format('%d', c))
  end
else
  local c = tonumber(redis.call('GET', key) or '-1')
  if c < 0 then return 0 end
  redis.call('SET', key, math.max(0, c - amount), 'KEEPTTL')
end
return 1
`;

/** ARGV: limit, ttlMs, token. Returns {acquired, inFlight}. */
export const ACQUIRE = `${NOW}
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local n = redis.call('ZCARD', key)
if n >= limit then return {0, n} end
redis.call('ZADD', key, string.format('%.3f', now + ttl), ARGV[3])
local pttl = redis.call('PTTL', key)
if pttl < ttl then redis.call('PEXPIRE', key, ttl) end
return {1, n + 1}
`;

/** ARGV: amount (decimal string), ttlMs, limit ('' for none). Returns {allowed, value}. */
export const ADD = `
local key = KEYS[1]
local amount = tonumber(ARGV[1])
local current = redis.call('GET', key)
if ARGV[3] ~= '' and amount > 0 and tonumber(current or '0') + amount > tonumber(ARGV[3]) then
  return {0, current or '0'}
end
local value = redis.call('INCRBYFLOAT', key, ARGV[1])
if redis.call('PTTL', key) == -1 then redis.call('PEXPIRE', key, ARGV[2]) end
return {1, value}
`;

/** ARGV: amount, halfLifeMs, ttlMs. Returns the new score as a string. */
export const DECAY_ADD = `${NOW}
local key = KEYS[1]
local h = redis.call('HMGET', key, 's', 't')
local score = 0
if h[1] then
  score = tonumber(h[1]) * math.pow(2, -(now - tonumber(h[2])) / tonumber(ARGV[2]))
end
score = score + tonumber(ARGV[1])
local text = string.format('%.17g', score)
redis.call('HSET', key, 's', text, 't', string.format('%.3f', now))
redis.call('PEXPIRE', key, ARGV[3])
return text
`;
