--[[
  Include: the one definition of an event's state, for one user, used by every script that
  answers about an event (admit, enter, status, issue, schedule, gate-sync), so that one user
  gets the same answer whichever of them is asked. The first that holds wins:

    "not_found"  no metadata in Redis (the caller warms it from MySQL and asks again)
    "issued"     this user already has a coupon: said first, whatever else holds, so that
                 nobody who has one is told "ended" or "sold out"
    "ended"      now >= endsAt
    "sold_out"   no stock left
    "upcoming"   now < startsAt (people may enter and wait; nobody is admitted yet)
    "open"

  meta: an HMGET reply whose first two fields are startsAt and endsAt. user may be nil (the
  scheduler and the gate ask about the event, not a user). now: Redis's clock (ms). remaining:
  the stock left when the caller has read it already (includes/queue-answer.lua), else nil.
  Returns the state and the stock left.
]]
local function eventState(meta, remainingKey, issuedKey, user, now, remaining)
  if not meta[1] then return "not_found", 0 end
  remaining = remaining or tonumber(redis.call("GET", remainingKey) or "0")
  if user and redis.call("HEXISTS", issuedKey, user) == 1 then return "issued", remaining end
  if now >= tonumber(meta[2]) then return "ended", remaining end
  if remaining <= 0 then return "sold_out", remaining end
  if now < tonumber(meta[1]) then return "upcoming", remaining end
  return "open", remaining
end
