--[[
  Decide issuances atomically (SPEC §5), for one user or many users of one event in one round
  trip (the coupon server batches the issues of one turn of its event loop): for each, in ARGV's
  order and as if it came alone, event open, user not issued yet, stock left, user holds a live
  admission (includes/slot.lua) -> take one, record the user, free the slot. The event's window
  and its stock are read once per call.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued (hash: userId -> "couponId|issuedAtMs")
  KEYS[4] running  KEYS[5] admitted (hash: userId -> hard expiry)  KEYS[6] log (includes/log.lua)
  ARGV[2i-1] userId  ARGV[2i] couponId, for i = 1..n

  Returns one reply per user, in the order of includes/event-state.lua: {"not_found"} (metadata
  not in Redis: warm it from MySQL and call again) | {"already_issued"} | {"not_open"} (ended, or
  not started) | {"sold_out"} | {"not_admitted"} | {"issued", remaining, issuedAt (ms)}.
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "log"
local now = redisNow()
local m = redis.call("HMGET", KEYS[1], "startsAt", "endsAt")
local remaining = m[1] and tonumber(redis.call("GET", KEYS[2]) or "0")
local replies = {}
for i = 1, #ARGV, 2 do
  local user, couponId = ARGV[i], ARGV[i + 1]
  local state = eventState(m, KEYS[2], KEYS[3], user, now, remaining)
  local reply
  if state == "not_found" then
    reply = {"not_found"}
  elseif state == "issued" then
    reply = {"already_issued"}
  elseif state == "ended" or state == "upcoming" then
    reply = {"not_open"}
  elseif state == "sold_out" then
    freeSlot(KEYS[4], KEYS[5], user)
    reply = {"sold_out"}
  else
    local score = redis.call("ZSCORE", KEYS[4], user)
    if not score or tonumber(score) <= now then
      reply = {"not_admitted"}
    else
      remaining = redis.call("DECR", KEYS[2])
      redis.call("HSET", KEYS[3], user, couponId .. "|" .. now)
      freeSlot(KEYS[4], KEYS[5], user)
      logAppend(KEYS[6], "issue", user, nil, now)
      reply = {"issued", remaining, now}
    end
  end
  replies[#replies + 1] = reply
end
return replies
