--[[
  Cancels one scheduled change unless it has applied: atomic against apply-changes-7.lua, so a
  change is either cancelled or applied, never both.

  KEYS[1] due  KEYS[2] changes  KEYS[3] applied
  ARGV[1] change id

  Returns 1 cancelled, 2 already applied (not yet written back to MySQL), 0 not pending in Redis
  (applied and written back, cancelled, or never copied here).
]]
if redis.call("ZREM", KEYS[1], ARGV[1]) == 1 then
  redis.call("HDEL", KEYS[2], ARGV[1])
  return 1
end
if redis.call("HEXISTS", KEYS[3], ARGV[1]) == 1 then return 2 end
return 0
