--[[
  Include: the shuffled pre-queue (an event whose meta says prequeue = "shuffle"; README,
  "Fairness: the pre-queue").

  Before startsAt, enter records in sched.preSeq the arrival number of each newcomer, so the
  block shuffled at the start is exactly the people who entered before startsAt and still wait:
  the members of waiting with score <= preSeq. At the scheduler's first tick at or after the
  start, shuffle-4.lua gives them the scores -N..-1 in prequeueOrder (fairness.ts) and sets
  meta.shuffledAt; arrivals after the start keep their arrival numbers (> preSeq), behind them.
  Until shuffledAt is set a member of the block has no position, and nobody is admitted.
]]

-- A newcomer took arrival number seq: remember it if it is part of the pre-queue.
local function notePrequeueEntry(metaKey, schedKey, seq, now)
  local p = redis.call("HMGET", metaKey, "prequeue", "startsAt")
  if p[1] == "shuffle" and now < tonumber(p[2]) then redis.call("HSET", schedKey, "preSeq", seq) end
end

-- preSeq while the event's pre-queue still waits for its shuffle, else nil: the block is the
-- waiters with a score at or below it, and their positions are not known yet.
local function pendingBlock(metaKey, schedKey)
  local p = redis.call("HMGET", metaKey, "prequeue", "shuffledAt")
  if p[1] ~= "shuffle" or p[2] then return nil end
  return tonumber(redis.call("HGET", schedKey, "preSeq") or "0")
end
