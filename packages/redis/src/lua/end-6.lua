--[[
  End an event now (the operator's "end now"): endsAt becomes ARGV[1] (Redis's clock, read by
  the caller, which writes the same value to MySQL), and everyone waiting or holding a slot is
  let go at once. From here on every script answers "ended" (includes/event-state.lua): waiters
  hear event_not_open, issue answers not_open. The issued hash and the stock are kept, so the
  issuer persists and reconciles every coupon as after any end.

  KEYS[1] meta  KEYS[2] waiting  KEYS[3] running  KEYS[4] seen  KEYS[5] admitted
  KEYS[6] log (includes/log.lua: a "close" record when a line is let go, as the scheduler writes)
  ARGV[1] endsAt (ms)

  Returns {1, previous endsAt} when ended now, {0} when the event is not warm.
]]
--- @include "clock"
--- @include "log"
local previous = redis.call("HGET", KEYS[1], "endsAt")
if not previous then return {0} end
redis.call("HSET", KEYS[1], "endsAt", ARGV[1])
if redis.call("UNLINK", KEYS[2], KEYS[3], KEYS[4], KEYS[5]) > 0 then
  logAppend(KEYS[6], "close", "", nil, redisNow(), "ended")
end
return {1, previous}
