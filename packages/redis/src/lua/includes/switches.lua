--[[
  Include: the operator's kill switches of an event (issue 13.1), read by every script that
  decides about admission or entry (admit, enter, status, schedule, gate-sync), so that they all
  give one user the same answer. Two fields of the event's meta hash, each a string of letters:

    switches        the event's own (written from MySQL, which keeps them)
    globalSwitches  the global ones, fanned out to every live event and written when one is warmed

    "p" paused       nobody is admitted, from the queue or directly; waiters keep their place
    "q" queue all    nobody is admitted directly: everyone goes through the waiting room
    "c" entry closed nobody new joins the queue (entry_closed); people waiting are served

  An event obeys a switch when either field has it. `bits` packs them for the router's gate:
  1 paused, 2 queue all, 4 entry closed.
]]
local function eventSwitches(metaKey)
  local f = redis.call("HMGET", metaKey, "switches", "globalSwitches")
  local s = (f[1] or "") .. (f[2] or "")
  local sw = {
    paused = string.find(s, "p", 1, true) ~= nil,
    queueAll = string.find(s, "q", 1, true) ~= nil,
    entryClosed = string.find(s, "c", 1, true) ~= nil,
  }
  sw.bits = (sw.paused and 1 or 0) + (sw.queueAll and 2 or 0) + (sw.entryClosed and 4 or 0)
  -- Nobody is admitted directly while any switch is on: enter (or the queue) decides instead.
  sw.noDirect = sw.bits > 0
  return sw
end
