--[[
  Include: the answer to a user who waits in line, one shape for every script that gives it
  (enter-10.lua, status-8.lua, stream-status-8.lua):
    {"waiting", position (1-based), waitingCount, admissionRate, paused, pending}
  paused = 1 while admissions are paused (includes/switches.lua); pending = 1 while the place
  waits for the pre-queue's shuffle (includes/prequeue.lua), when the position means nothing yet.
  Needs the switches and prequeue includes before it. rank: the user's 0-based ZRANK.
]]
local function waitingAnswer(metaKey, waitingKey, schedKey, user, rank, count, rate)
  return {"waiting", rank + 1, count, rate, eventSwitches(metaKey).paused and 1 or 0,
    prequeuePending(metaKey, schedKey, waitingKey, user) and 1 or 0}
end
