-- All of one client's limits in one round trip, on Redis's own clock (TIME), so every
-- gateway shares one budget whatever their clocks say. Works on Redis 6.2 and 7.
-- KEYS[1]: the client's token bucket (hash: tokens, at)
-- KEYS[2]: the client's daily count (hash: day, used)
-- ARGV[1]: requests per second; ARGV[2]: burst; ARGV[3]: daily quota, 0 for none;
-- ARGV[4]: the most tokens to take (a gateway's lease; 1 when absent)
-- Takes as many whole tokens as are there, up to ARGV[4], and counts them against the quota.
-- Returns {tokens taken (0: refused), whole tokens left, ms until a token, ms until full,
--          requests used today, seconds until the UTC day ends}
local now = redis.call('TIME')
local seconds = tonumber(now[1])
local micros = seconds * 1000000 + tonumber(now[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local quota = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4]) or 1

local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = micros
end
if micros > at then
  tokens = math.min(burst, tokens + (micros - at) * rate / 1000000)
end

local day = math.floor(seconds / 86400)
local untilMidnight = (day + 1) * 86400 - seconds
local used = 0
if quota > 0 then
  local daily = redis.call('HMGET', KEYS[2], 'day', 'used')
  if tonumber(daily[1]) == day then
    used = tonumber(daily[2]) or 0
  end
end

local taken = math.min(wanted, math.floor(tokens))
if quota > 0 then
  taken = math.min(taken, quota - used)
end
if taken < 0 then
  taken = 0
end
if taken > 0 then
  tokens = tokens - taken
  if quota > 0 then
    used = used + taken
    redis.call('HSET', KEYS[2], 'day', day, 'used', used)
    redis.call('EXPIRE', KEYS[2], untilMidnight + 60)
  end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(micros))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)

local untilToken = 0
if tokens < 1 then
  untilToken = math.ceil((1 - tokens) * 1000 / rate)
end
local untilFull = math.ceil((burst - tokens) * 1000 / rate)
return {taken, math.floor(tokens), untilToken, untilFull, used, untilMidnight}
