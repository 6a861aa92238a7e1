--[[
  Leave the queue or give back an admission. Leaving twice is fine.

  KEYS[1] waiting  KEYS[2] running  KEYS[3] seen
  ARGV[1] userId

  Returns the number of sets the user was removed from.
]]
return redis.call("ZREM", KEYS[1], ARGV[1]) + redis.call("ZREM", KEYS[2], ARGV[1])
  + redis.call("ZREM", KEYS[3], ARGV[1])
