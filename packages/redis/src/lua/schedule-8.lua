--[[
  One bounded step of a scheduler tick for one event (SPEC §4): drop admissions past their
  act-by deadline (includes/slot.lua: expired, or silent for actWithinSeconds), evict
  idle waiters, then move the head of the queue into running while there is room, at most
  admitPerTick per tick, and never more than the stock that admitted users could still take.

  A step does at most ARGV[3] moves (and as many expiries and evictions), in chunks of 1,000 per
  command, so that no setting the admin API accepts makes it unpack more than Lua can hold or
  block Redis for long; the caller repeats the step while it answers more = 1, passing what was
  admitted so far in this tick. A user is added to running before they leave waiting, so a
  failure part-way can never lose anyone's place.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] waiting  KEYS[4] running  KEYS[5] seen
  KEYS[6] sched (hash: fence, rate = admissions per second (EWMA), lastTick, tickMoved)
  KEYS[7] admitted (hash: userId -> hard expiry)  KEYS[8] log (stream, includes/log.lua)
  ARGV[1] fencing token of the caller's scheduler lease
  ARGV[2] admitted by earlier steps of this tick  ARGV[3] most moves in this step

  The event's state is that of includes/event-state.lua: nothing to do when not found; ended
  or sold out clears the queue; upcoming and paused (includes/switches.lua) admit nobody.

  A shuffled pre-queue (includes/prequeue.lua) whose shuffle has not run yet admits nobody:
  the step answers {0, expired, evicted, more, 1} and the caller runs shuffle-4.lua first.

  Returns {moved, expired, evicted, more}, or {-1} when a newer lease holder has already ticked
  this event (the caller lost its lease and must stop).
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "switches"
--- @include "log"
local now = redisNow()
local fence, done, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local CHUNK = 1000
local lastFence = tonumber(redis.call("HGET", KEYS[6], "fence") or "0")
if fence < lastFence then return {-1} end

local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt", "runningCapacity", "admitPerTick",
  "admissionTtlSeconds", "idleTimeoutSeconds", "actWithinSeconds")
local state, remaining = eventState(m, KEYS[2], nil, nil, now)
-- Nothing is written for an event that is gone (retired by the issuer): a tick in flight must not
-- leave a key behind the removal.
if state == "not_found" then return {0, 0, 0, 0} end
if fence > lastFence then redis.call("HSET", KEYS[6], "fence", fence) end

-- Removes the members list[from..to] from key, CHUNK at a time.
local function zremAll(key, list, from, to)
  local n = 0
  for i = from, to, CHUNK do
    n = n + redis.call("ZREM", key, unpack(list, i, math.min(i + CHUNK - 1, to)))
  end
  return n
end

local more = 0
local gone = redis.call("ZRANGEBYSCORE", KEYS[4], "-inf", now, "LIMIT", 0, limit)
local expired = zremAll(KEYS[4], gone, 1, #gone)
for i = 1, #gone, CHUNK do
  redis.call("HDEL", KEYS[7], unpack(gone, i, math.min(i + CHUNK - 1, #gone)))
end
for i = 1, #gone do logAppend(KEYS[8], "expire", gone[i], nil, now) end
if #gone == limit then more = 1 end

local idle = redis.call("ZRANGEBYSCORE", KEYS[5], "-inf", now - tonumber(m[6]) * 1000, "LIMIT", 0, limit)
local evicted = zremAll(KEYS[3], idle, 1, #idle)
zremAll(KEYS[5], idle, 1, #idle)
for i = 1, #idle do logAppend(KEYS[8], "evict", idle[i], nil, now) end
if #idle == limit then more = 1 end

if state == "ended" or state == "sold_out" then
  -- Nobody waits for nothing: status answers sold_out / event_not_open from here on.
  if redis.call("UNLINK", KEYS[3], KEYS[5]) > 0 then logAppend(KEYS[8], "close", "", nil, now, state) end
  return {0, expired, evicted, 0}
end
if state == "upcoming" then return {0, expired, evicted, more} end
local pq = redis.call("HMGET", KEYS[1], "prequeue", "shuffledAt")
if pq[1] == "shuffle" and not pq[2] then return {0, expired, evicted, more, 1} end
if eventSwitches(KEYS[1]).paused then
  -- Paused (includes/switches.lua): nobody moves. The rate measured before keeps standing, and
  -- its clock restarts so that the pause does not count as a slow tick once admissions resume.
  if done == 0 then redis.call("HSET", KEYS[6], "lastTick", now, "tickMoved", 0) end
  return {0, expired, evicted, more}
end

local running = redis.call("ZCOUNT", KEYS[4], "(" .. now, "+inf")
local waiting = redis.call("ZCARD", KEYS[3])
local n = math.min(tonumber(m[3]) - running, tonumber(m[4]) - done, waiting, remaining - running)
if n > limit then
  n = limit
  more = 1
end
local moved = 0
if n > 0 then
  local head = redis.call("ZRANGE", KEYS[3], 0, n - 1)
  local ttl = tonumber(m[5]) * 1000
  local hard = now + ttl
  local actBy = math.min(hard, now + actWithinMs(m[7], ttl))
  for i = 1, #head, CHUNK do
    logQueuedAdmissions(KEYS[8], KEYS[3], KEYS[4], head, i, math.min(i + CHUNK - 1, #head), now)
    local slots, expiries = {}, {}
    for j = i, math.min(i + CHUNK - 1, #head) do
      slots[#slots + 1] = actBy
      slots[#slots + 1] = head[j]
      expiries[#expiries + 1] = head[j]
      expiries[#expiries + 1] = hard
    end
    redis.call("ZADD", KEYS[4], unpack(slots))
    redis.call("HSET", KEYS[7], unpack(expiries))
  end
  zremAll(KEYS[3], head, 1, #head)
  zremAll(KEYS[5], head, 1, #head)
  moved = #head
end

-- Admission rate for the ETA shown to waiters, measured only while people wait: the first step
-- of a tick turns the previous tick's admissions into a sample.
if done == 0 then
  if waiting > 0 then
    local s = redis.call("HMGET", KEYS[6], "lastTick", "tickMoved", "rate")
    local last = tonumber(s[1] or "0")
    if last > 0 and now > last then
      local sample = tonumber(s[2] or "0") * 1000 / (now - last)
      local rate = tonumber(s[3] or "0")
      if rate > 0 then rate = 0.8 * rate + 0.2 * sample else rate = sample end
      redis.call("HSET", KEYS[6], "rate", string.format("%.4f", rate))
    end
  end
  redis.call("HSET", KEYS[6], "lastTick", now, "tickMoved", moved)
else
  redis.call("HINCRBY", KEYS[6], "tickMoved", moved)
end
return {moved, expired, evicted, more}
