--[[
  Leave the queue or give back an admission. Leaving twice is fine.

  KEYS[1] waiting  KEYS[2] running  KEYS[3] seen  KEYS[4] admitted
  ARGV[1] userId

  Returns the number of sets the user was removed from.
]]
redis.call("HDEL", KEYS[4], ARGV[1])
return redis.call("ZREM", KEYS[1], ARGV[1]) + redis.call("ZREM", KEYS[2], ARGV[1])
  + redis.call("ZREM", KEYS[3], ARGV[1])
