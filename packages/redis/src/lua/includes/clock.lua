--[[
  Include: the one clock (SPEC §7). Every script takes the time from Redis, never from its
  caller, so that a server whose clock drifts cannot move a window, an expiry or an eviction.
]]
local function redisNow()
  local t = redis.call("TIME")
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
