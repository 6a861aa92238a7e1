--[[
  Join the waiting room. Idempotent: entering again keeps the original place, and a user who
  holds a slot keeps it (a sign of life, see includes/slot.lua).

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] seen (sorted set: userId -> last poll, ms)  KEYS[7] seq (arrival counter)
  KEYS[8] sched (hash: rate, lastTick, fence)  KEYS[9] admitted (hash: userId -> hard expiry)
  KEYS[10] log (stream, includes/log.lua)
  ARGV[1] userId

  Returns, in the order of includes/event-state.lua: {"not_found"} | {"issued", expiresAt} |
  {"not_open"} (ended) | {"sold_out"} | {"admitted", expiresAt} |
  {"entry_closed"} (not waiting yet, and entry is closed: includes/switches.lua) |
  {"waiting", …} (includes/waiting.lua).
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "queue-answer"
--- @include "switches"
--- @include "log"
--- @include "prequeue"
--- @include "waiting"
local user, now = ARGV[1], redisNow()
local settled = queueAnswer(queueFacts(KEYS[1], KEYS[2]), KEYS[3], KEYS[5], KEYS[9], user, now)
if settled then return settled end

local sw = eventSwitches(KEYS[1])
local rank = redis.call("ZRANK", KEYS[4], user)
if not rank then
  if sw.entryClosed then return {"entry_closed"} end
  local seq = redis.call("INCR", KEYS[7])
  redis.call("ZADD", KEYS[4], seq, user)
  logAppend(KEYS[10], "entry", user, seq, now)
  notePrequeueEntry(KEYS[1], KEYS[8], seq, now)
end
local count = redis.call("ZCARD", KEYS[4])
-- A newcomer is last in line.
if not rank then rank = count - 1 end
redis.call("ZADD", KEYS[6], now, user)
-- After the entry, whose arrival number may have just joined the pre-queue's block.
local facts = waitingFacts(KEYS[1], KEYS[8], sw)
return waitingAnswer(facts, KEYS[4], user, rank, count, redis.call("HGET", KEYS[8], "rate") or "0")
