--[[
  Direct admission by the router: take a running slot when nobody is waiting and there is room.
  Re-checks what the router's snapshot said, so a stale snapshot can never let anyone overtake.
  A user who holds a slot already keeps it (a sign of life, see includes/slot.lua).

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] admitted (hash: userId -> hard expiry)  KEYS[7] log (stream, includes/log.lua)
  ARGV[1] userId

  Returns, in the order of includes/event-state.lua: {"not_found"} | {"issued", expiresAt}
  (already has a coupon: a token so that the issue call can say so, but no slot) |
  {"not_open"} (ended) | {"sold_out"} | {"admitted", expiresAt} | {"queue"} (join the waiting
  room: not started, someone waits, no room, or a kill switch is on: includes/switches.lua).
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "switches"
--- @include "log"
local user, now = ARGV[1], redisNow()
local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt", "runningCapacity", "admissionTtlSeconds",
  "actWithinSeconds")
local state, remaining = eventState(m, KEYS[2], KEYS[3], user, now)
if state == "not_found" then return {"not_found"} end
local ttl = tonumber(m[4]) * 1000
if state == "issued" then return {"issued", now + ttl} end
if state == "ended" then return {"not_open"} end
if state == "sold_out" then return {"sold_out"} end

local act = actWithinMs(m[5], ttl)
local held = touchSlot(KEYS[5], KEYS[6], user, now, act)
if held then return {"admitted", held} end
if eventSwitches(KEYS[1]).noDirect then return {"queue"} end
if state == "upcoming" then return {"queue"} end
if redis.call("ZCARD", KEYS[4]) > 0 then return {"queue"} end

-- Admitted users who have not issued yet hold the remaining stock; admitting past it would only
-- hand out tokens for nothing.
local running = redis.call("ZCOUNT", KEYS[5], "(" .. now, "+inf")
if running >= tonumber(m[3]) or running >= remaining then return {"queue"} end
logAdmission(KEYS[7], KEYS[5], user, nil, now, "direct")
return {"admitted", takeSlot(KEYS[5], KEYS[6], user, now, ttl, act)}
