--[[
  Leave the queue or give back an admission. Leaving twice is fine.

  KEYS[1] waiting  KEYS[2] running  KEYS[3] seen  KEYS[4] admitted  KEYS[5] log (includes/log.lua)
  ARGV[1] userId

  Returns the number of sets the user was removed from.
]]
--- @include "clock"
--- @include "log"
local seq = redis.call("ZSCORE", KEYS[1], ARGV[1])
redis.call("HDEL", KEYS[4], ARGV[1])
local removed = redis.call("ZREM", KEYS[1], ARGV[1]) + redis.call("ZREM", KEYS[2], ARGV[1])
if removed > 0 then logAppend(KEYS[5], "leave", ARGV[1], seq, redisNow()) end
return removed + redis.call("ZREM", KEYS[3], ARGV[1])
