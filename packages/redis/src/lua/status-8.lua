--[[
  Queue status for one user, in one round trip; also marks the user as still here: a waiter
  against idle eviction, an admitted user against losing the slot (see includes/slot.lua).

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] seen  KEYS[7] sched  KEYS[8] admitted (hash: userId -> hard expiry)
  ARGV[1] userId

  Returns, in the order of includes/event-state.lua: {"not_found"} | {"issued", expiresAt} |
  {"not_open"} (ended) | {"sold_out"} | {"admitted", expiresAt} |
  {"waiting", …} (includes/waiting.lua) |
  {"not_in_queue"}.
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "queue-answer"
--- @include "switches"
--- @include "prequeue"
--- @include "waiting"
local user, now = ARGV[1], redisNow()
local settled = queueAnswer(KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[8], user, now)
if settled then return settled end

local rank = redis.call("ZRANK", KEYS[4], user)
if not rank then return {"not_in_queue"} end
redis.call("ZADD", KEYS[6], "XX", now, user)
return waitingAnswer(waitingFacts(KEYS[1], KEYS[7]), KEYS[4], user, rank, redis.call("ZCARD", KEYS[4]),
  redis.call("HGET", KEYS[7], "rate") or "0")
