--[[
  Decide one issuance atomically (SPEC §5): event open, user not issued yet, stock left, user
  holds a live admission (includes/slot.lua) -> take one, record the user, free the slot.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued (hash: userId -> "couponId|issuedAtMs")
  KEYS[4] running  KEYS[5] admitted (hash: userId -> hard expiry)  KEYS[6] log (includes/log.lua)
  ARGV[1] userId  ARGV[2] couponId

  Returns, in the order of includes/event-state.lua: {"not_found"} (metadata not in Redis: warm
  it from MySQL and call again) | {"already_issued"} | {"not_open"} (ended, or not started) |
  {"sold_out"} | {"not_admitted"} | {"issued", remaining, issuedAt (ms)}.
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "log"
local user, now = ARGV[1], redisNow()
local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt")
local state = eventState(m, KEYS[2], KEYS[3], user, now)
if state == "not_found" then return {"not_found"} end
if state == "issued" then return {"already_issued"} end
if state == "ended" or state == "upcoming" then return {"not_open"} end
if state == "sold_out" then
  freeSlot(KEYS[4], KEYS[5], user)
  return {"sold_out"}
end
local score = redis.call("ZSCORE", KEYS[4], user)
if not score or tonumber(score) <= now then return {"not_admitted"} end

local left = redis.call("DECR", KEYS[2])
redis.call("HSET", KEYS[3], user, ARGV[2] .. "|" .. now)
freeSlot(KEYS[4], KEYS[5], user)
logAppend(KEYS[6], "issue", user, nil, now)
return {"issued", left, now}
