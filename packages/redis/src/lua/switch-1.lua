--[[
  Set one switch field of an event's meta hash (includes/switches.lua), only while the event is
  warm: a hash with just this field would look like a warm event to warm-2.lua and never be
  filled. An event that is not warm gets its switches when it is warmed.

  KEYS[1] meta
  ARGV[1] field ("switches" or "globalSwitches")  ARGV[2] its letters ("" = none)

  Returns 1 when written, 0 when the event is not warm.
]]
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
return 1
