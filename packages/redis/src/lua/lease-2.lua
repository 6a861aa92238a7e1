--[[
  Acquire or renew the scheduler lease. A new holder gets a fresh fencing token (monotonic), which
  the schedule script compares so that a paused former leader can never tick after a takeover.

  KEYS[1] lease (string "holderId|fence", with a TTL)  KEYS[2] fence counter
  ARGV[1] holderId  ARGV[2] ttl (ms)

  Returns the fencing token held (> 0), or 0 when another holder has the lease.
]]
local v = redis.call("GET", KEYS[1])
if v then
  local holder, fence = string.match(v, "^(.*)|(%d+)$")
  if holder == ARGV[1] then
    redis.call("PEXPIRE", KEYS[1], ARGV[2])
    return tonumber(fence)
  end
  return 0
end
local fence = redis.call("INCR", KEYS[2])
redis.call("SET", KEYS[1], ARGV[1] .. "|" .. fence, "PX", ARGV[2])
return fence
