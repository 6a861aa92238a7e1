--[[
  Decide one issuance atomically (SPEC §5): event open, user not issued yet, user holds an
  unexpired admission, stock left -> take one, record the user, free the running slot.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued (hash: userId -> "couponId|issuedAtMs")
  KEYS[4] running
  ARGV[1] userId  ARGV[2] couponId   (the time is Redis's own: TIME)

  Returns {"issued", remaining, issuedAt (ms)} | {"already_issued"} | {"sold_out"} | {"not_admitted"} |
  {"not_open"} | {"not_found"} (metadata not in Redis: warm it from MySQL and call again).
]]
local user = ARGV[1]
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt")
if not m[1] then return {"not_found"} end
if now < tonumber(m[1]) or now >= tonumber(m[2]) then return {"not_open"} end
if redis.call("HEXISTS", KEYS[3], user) == 1 then return {"already_issued"} end
if tonumber(redis.call("GET", KEYS[2]) or "0") <= 0 then
  redis.call("ZREM", KEYS[4], user)
  return {"sold_out"}
end
local slot = redis.call("ZSCORE", KEYS[4], user)
if not slot or tonumber(slot) <= now then return {"not_admitted"} end

local left = redis.call("DECR", KEYS[2])
redis.call("HSET", KEYS[3], user, ARGV[2] .. "|" .. now)
redis.call("ZREM", KEYS[4], user)
return {"issued", left, now}
