--[[
  Queue status for one user or many users of one event, in one round trip: every status poll
  (the router batches the polls of one turn of its event loop, packages/redis/src/batch.ts)
  and every tick of the router's event streams. Each user is answered alone, as if asked alone;
  what is the same for all of them (the event's settings and stock, the queue's length and rate,
  the pause and the pre-queue's pending block) is read once per call. Like any poll, it is a sign
  of life: waiters are marked as seen (one ZADD for the whole batch), admitted users have their
  act-by deadline moved on (includes/slot.lua). Callers pass at most 500 users (QUEUE_BATCH),
  which bounds how long one call holds Redis.

  KEYS[1] meta  KEYS[2] remaining  KEYS[3] issued  KEYS[4] waiting  KEYS[5] running
  KEYS[6] seen  KEYS[7] sched  KEYS[8] admitted (hash: userId -> hard expiry)
  ARGV[1..n] userIds

  Returns one reply per user, in ARGV's order, in the order of includes/event-state.lua:
  {"not_found"} | {"issued", expiresAt} | {"not_open"} (ended) | {"sold_out"} |
  {"admitted", expiresAt} | {"waiting", …} (includes/waiting.lua) | {"not_in_queue"}.
]]
--- @include "clock"
--- @include "event-state"
--- @include "slot"
--- @include "queue-answer"
--- @include "switches"
--- @include "prequeue"
--- @include "waiting"
local now = redisNow()
local event = queueFacts(KEYS[1], KEYS[2])
local replies, seen = {}, {}
local count, rate, facts
for i, user in ipairs(ARGV) do
  local reply = queueAnswer(event, KEYS[3], KEYS[5], KEYS[8], user, now)
  if not reply then
    local rank = redis.call("ZRANK", KEYS[4], user)
    if rank then
      count = count or redis.call("ZCARD", KEYS[4])
      rate = rate or redis.call("HGET", KEYS[7], "rate") or "0"
      facts = facts or waitingFacts(KEYS[1], KEYS[7])
      seen[#seen + 1] = now
      seen[#seen + 1] = user
      reply = waitingAnswer(facts, KEYS[4], user, rank, count, rate)
    else
      reply = {"not_in_queue"}
    end
  end
  replies[i] = reply
end
if #seen > 0 then redis.call("ZADD", KEYS[6], "XX", unpack(seen)) end
return replies
