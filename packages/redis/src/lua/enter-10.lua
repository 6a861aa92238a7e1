--[[
  Join the waiting room, for one user or many users of one event in one round trip (the router
  batches the entries of one turn of its event loop, packages/redis/src/batch.ts). Users
  are taken in ARGV's order, each answered as if they had come alone at that moment: a later one
  queues behind an earlier one. What is the same for all of them (the event's settings and stock,
  the switches, the rate) is read once per call. Idempotent: entering again keeps the original
  place, and a user who holds a slot keeps it (a sign of life, see includes/slot.lua).

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] seen (sorted set: userId -> last poll, ms)  KEYS[7] seq (arrival counter)
  KEYS[8] sched (hash: rate, lastTick, fence)  KEYS[9] admitted (hash: userId -> hard expiry)
  KEYS[10] log (stream, includes/log.lua)
  ARGV[1..n] userIds

  Returns one reply per user, in ARGV's order, in the order of includes/event-state.lua:
  {"not_found"} | {"issued", expiresAt} | {"not_open"} (ended) | {"sold_out"} |
  {"admitted", expiresAt} |
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
local now = redisNow()
local event = queueFacts(KEYS[1], KEYS[2])
local replies, seen = {}, {}
local sw, facts, rate
for i, user in ipairs(ARGV) do
  local reply = queueAnswer(event, KEYS[3], KEYS[5], KEYS[9], user, now)
  if not reply then
    sw = sw or eventSwitches(KEYS[1])
    facts = facts or waitingFacts(KEYS[1], KEYS[8], sw)
    rate = rate or redis.call("HGET", KEYS[8], "rate") or "0"
    local rank = redis.call("ZRANK", KEYS[4], user)
    if not rank and sw.entryClosed then
      reply = {"entry_closed"}
    else
      if not rank then
        local seq = redis.call("INCR", KEYS[7])
        redis.call("ZADD", KEYS[4], seq, user)
        logAppend(KEYS[10], "entry", user, seq, now)
        notePrequeueEntry(KEYS[1], KEYS[8], seq, now)
        -- The newcomer's arrival number may have just joined the pre-queue's block.
        if facts.block then facts = waitingFacts(KEYS[1], KEYS[8], sw) end
      end
      local count = redis.call("ZCARD", KEYS[4])
      -- A newcomer is last in line.
      if not rank then rank = count - 1 end
      seen[#seen + 1] = now
      seen[#seen + 1] = user
      reply = waitingAnswer(facts, KEYS[4], user, rank, count, rate)
    end
  end
  replies[i] = reply
end
if #seen > 0 then redis.call("ZADD", KEYS[6], unpack(seen)) end
return replies
