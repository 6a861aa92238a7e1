--[[
  One scheduler tick for one event (SPEC §4): drop expired admissions, evict idle waiters, then
  move the head of the queue into running while there is room, at most admitPerTick, and never
  more than the stock that admitted users could still take.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] waiting  KEYS[4] running  KEYS[5] seen
  KEYS[6] sched (hash: fence, rate = admissions per second (EWMA), lastTick)
  ARGV[1] now (ms)  ARGV[2] fencing token of the caller's scheduler lease

  Returns {moved, expired, evicted}, or {-1} when a newer lease holder has already ticked this
  event (the caller lost its lease and must stop).
]]
local now, fence = tonumber(ARGV[1]), tonumber(ARGV[2])
local lastFence = tonumber(redis.call("HGET", KEYS[6], "fence") or "0")
if fence < lastFence then return {-1} end
if fence > lastFence then redis.call("HSET", KEYS[6], "fence", ARGV[2]) end

local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt", "runningCapacity", "admitPerTick",
  "admissionTtlSeconds", "idleTimeoutSeconds")
if not m[1] then return {0, 0, 0} end

local expired = redis.call("ZREMRANGEBYSCORE", KEYS[4], "-inf", now)

local evicted = 0
local idle = redis.call("ZRANGEBYSCORE", KEYS[5], "-inf", now - tonumber(m[6]) * 1000, "LIMIT", 0, 5000)
for i = 1, #idle, 500 do
  local chunk = {unpack(idle, i, math.min(i + 499, #idle))}
  evicted = evicted + redis.call("ZREM", KEYS[3], unpack(chunk))
  redis.call("ZREM", KEYS[5], unpack(chunk))
end

local remaining = tonumber(redis.call("GET", KEYS[2]) or "0")
if remaining <= 0 or now >= tonumber(m[2]) then
  -- Nobody waits for nothing: status answers sold_out / event_not_open from here on.
  redis.call("DEL", KEYS[3], KEYS[5])
  return {0, expired, evicted}
end
if now < tonumber(m[1]) then return {0, expired, evicted} end

local running = redis.call("ZCARD", KEYS[4])
local waiting = redis.call("ZCARD", KEYS[3])
local n = math.min(tonumber(m[3]) - running, tonumber(m[4]), waiting, remaining - running)
local moved = 0
if n > 0 then
  local head = redis.call("ZPOPMIN", KEYS[3], n)
  local expiry = now + tonumber(m[5]) * 1000
  local admit, users = {}, {}
  for i = 1, #head, 2 do
    admit[#admit + 1] = expiry
    admit[#admit + 1] = head[i]
    users[#users + 1] = head[i]
  end
  redis.call("ZADD", KEYS[4], unpack(admit))
  redis.call("ZREM", KEYS[5], unpack(users))
  moved = #users
end

-- Admission rate, measured only while people wait, for the ETA shown to them.
if waiting > 0 then
  local last = tonumber(redis.call("HGET", KEYS[6], "lastTick") or "0")
  if last > 0 and now > last then
    local sample = moved * 1000 / (now - last)
    local rate = tonumber(redis.call("HGET", KEYS[6], "rate") or "0")
    if rate > 0 then rate = 0.8 * rate + 0.2 * sample else rate = sample end
    redis.call("HSET", KEYS[6], "rate", string.format("%.4f", rate))
  end
end
redis.call("HSET", KEYS[6], "lastTick", ARGV[1])
return {moved, expired, evicted}
