--[[
  Direct admission by the router: take a running slot when nobody is waiting and there is room.
  Re-checks what the router's snapshot said, so a stale snapshot can never let anyone overtake.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  ARGV[1] userId

  Returns, in the order of includes/event-state.lua: {"not_found"} | {"issued", expiresAt}
  (already has a coupon: a token so that the issue call can say so, but no slot) |
  {"not_open"} (ended) | {"sold_out"} | {"admitted", expiresAt} | {"queue"} (join the waiting
  room: not started, someone waits, or no room).
]]
--- @include "clock"
--- @include "event-state"
local user, now = ARGV[1], redisNow()
local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt", "runningCapacity", "admissionTtlSeconds")
local state, remaining = eventState(m, KEYS[2], KEYS[3], user, now)
if state == "not_found" then return {"not_found"} end
local ttl = tonumber(m[4]) * 1000
if state == "issued" then return {"issued", now + ttl} end
if state == "ended" then return {"not_open"} end
if state == "sold_out" then return {"sold_out"} end

local current = redis.call("ZSCORE", KEYS[5], user)
if current and tonumber(current) > now then return {"admitted", tonumber(current)} end
if state == "upcoming" then return {"queue"} end
if redis.call("ZCARD", KEYS[4]) > 0 then return {"queue"} end

-- Admitted users who have not issued yet hold the remaining stock; admitting past it would only
-- hand out tokens for nothing.
local running = redis.call("ZCOUNT", KEYS[5], "(" .. now, "+inf")
if running >= tonumber(m[3]) or running >= remaining then return {"queue"} end

redis.call("ZADD", KEYS[5], now + ttl, user)
return {"admitted", now + ttl}
