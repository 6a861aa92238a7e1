--[[
  Include: a running slot and its two deadlines (time to act).

  running  (sorted set) score = the act-by deadline: min(hard expiry, last sign of life +
           actWithinSeconds). The scheduler frees a slot once it passes, so an admitted user who
           walks away gives the room back within actWithinSeconds, not admissionTtlSeconds.
  admitted (hash) userId -> the hard expiry (admission time + admissionTtlSeconds), which is
           the token's expiresAt and the longest an active user keeps the slot.

  A sign of life (a status poll, an entry or a direct admission while admitted) moves the act-by
  deadline on, never past the hard expiry. Times are ms, on Redis's clock.
]]

-- The time to act in ms; events warmed before the setting existed get the whole admission.
local function actWithinMs(actWithinSeconds, ttlMs)
  if actWithinSeconds then return tonumber(actWithinSeconds) * 1000 end
  return ttlMs
end

-- Gives the user a slot admitted now; returns the hard expiry.
local function takeSlot(runningKey, admittedKey, user, now, ttlMs, actMs)
  local hard = now + ttlMs
  redis.call("ZADD", runningKey, math.min(hard, now + actMs), user)
  redis.call("HSET", admittedKey, user, hard)
  return hard
end

-- A sign of life: returns the hard expiry if the user holds a live slot (and moves its act-by
-- deadline on), nil otherwise.
local function touchSlot(runningKey, admittedKey, user, now, actMs)
  local score = redis.call("ZSCORE", runningKey, user)
  if not score or tonumber(score) <= now then return nil end
  local hard = tonumber(redis.call("HGET", admittedKey, user) or score)
  redis.call("ZADD", runningKey, "XX", math.min(hard, now + actMs), user)
  return hard
end

local function freeSlot(runningKey, admittedKey, user)
  redis.call("HDEL", admittedKey, user)
  return redis.call("ZREM", runningKey, user)
end
