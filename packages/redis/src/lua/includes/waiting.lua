--[[
  Include: the answer to a user who waits in line, one shape for every script that gives it
  (enter-10.lua, status-8.lua):
    {"waiting", position (1-based), waitingCount, admissionRate, paused, pending}
  paused = 1 while admissions are paused (includes/switches.lua); pending = 1 while the place
  waits for the pre-queue's shuffle (includes/prequeue.lua), when the position means nothing yet.
  Needs the switches and prequeue includes before it.

  waitingFacts reads what is the same for every waiter of the event (once per script run, however
  many users it answers); sw: the event's switches when the caller has read them already.
]]
local function waitingFacts(metaKey, schedKey, sw)
  return { paused = (sw or eventSwitches(metaKey)).paused, block = pendingBlock(metaKey, schedKey) }
end

-- rank: the user's 0-based ZRANK.
local function waitingAnswer(facts, waitingKey, user, rank, count, rate)
  local pending = facts.block ~= nil and tonumber(redis.call("ZSCORE", waitingKey, user)) <= facts.block
  return {"waiting", rank + 1, count, rate, facts.paused and 1 or 0, pending and 1 or 0}
end
