--[[
  What the queue answers a user before their place is looked at (enter and status): the event's
  state first (includes/event-state.lua), then a slot they already hold, which the call refreshes
  as a sign of life (includes/slot.lua). Needs the event-state and slot includes.
  queueFacts reads what is the same for every user of the event, once per script run (a status
  call answers up to a few hundred users); queueAnswer returns the reply when that settles it,
  else nil (the user is neither done nor admitted).
]]
local function queueFacts(metaKey, remainingKey)
  local m = redis.call("HMGET", metaKey, "startsAt", "endsAt", "admissionTtlSeconds", "actWithinSeconds")
  return { meta = m, remainingKey = remainingKey, remaining = m[1] and tonumber(redis.call("GET", remainingKey) or "0") }
end

local function queueAnswer(facts, issuedKey, runningKey, admittedKey, user, now)
  local m = facts.meta
  local state = eventState(m, facts.remainingKey, issuedKey, user, now, facts.remaining)
  if state == "not_found" then return {"not_found"} end
  local ttl = tonumber(m[3]) * 1000
  if state == "issued" then return {"issued", now + ttl} end
  if state == "ended" then return {"not_open"} end
  if state == "sold_out" then return {"sold_out"} end
  local held = touchSlot(runningKey, admittedKey, user, now, actWithinMs(m[4], ttl))
  if held then return {"admitted", held} end
  return nil
end
