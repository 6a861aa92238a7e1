--[[
  Direct admission by the router: take a running slot when nobody is waiting and there is room.
  Re-checks what the router's snapshot said, so a stale snapshot can never let anyone overtake.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  ARGV[1] userId   (the time is Redis's own: TIME)

  Returns {"admitted", expiresAt} | {"issued", expiresAt} (already has a coupon: a token so that
  the issue call can say so, but no slot) | {"queue"} (join the waiting room) | {"sold_out"} |
  {"not_open"} (ended) | {"not_found"}.
]]
local user = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt", "runningCapacity", "admissionTtlSeconds")
if not m[1] then return {"not_found"} end
local ttl = tonumber(m[4]) * 1000
if now >= tonumber(m[2]) then return {"not_open"} end
local remaining = tonumber(redis.call("GET", KEYS[2]) or "0")
if remaining <= 0 then return {"sold_out"} end
if redis.call("HEXISTS", KEYS[3], user) == 1 then return {"issued", now + ttl} end

local current = redis.call("ZSCORE", KEYS[5], user)
if current and tonumber(current) > now then return {"admitted", tonumber(current)} end
if now < tonumber(m[1]) then return {"queue"} end
if redis.call("ZCARD", KEYS[4]) > 0 then return {"queue"} end

-- Admitted users who have not issued yet hold the remaining stock; admitting past it would only
-- hand out tokens for nothing.
local running = redis.call("ZCOUNT", KEYS[5], "(" .. now, "+inf")
if running >= tonumber(m[3]) or running >= remaining then return {"queue"} end

redis.call("ZADD", KEYS[5], now + ttl, user)
return {"admitted", now + ttl}
