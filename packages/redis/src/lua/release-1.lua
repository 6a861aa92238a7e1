--[[
  Release the scheduler lease if this holder still has it (graceful shutdown: hand over at once).

  KEYS[1] lease  ARGV[1] holderId
  Returns 1 when released, 0 otherwise.
]]
local v = redis.call("GET", KEYS[1])
if v and string.match(v, "^(.*)|%d+$") == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
