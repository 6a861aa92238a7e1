--[[
  Changes some of an event's live settings now (PATCH /admin/api/events/:eventId), answering
  the values they had. Nothing is written for an event whose meta is not in Redis, so a live
  update can never leave a partial meta that would stop the event from being warmed.

  KEYS[1] meta
  ARGV field, value pairs ("" for an rpmThreshold that falls back to the global one)

  Returns {1, before1, before2, …} (the old value of each field, in ARGV order), or {0} when the
  event is not in Redis.
]]
if redis.call("EXISTS", KEYS[1]) == 0 then return {0} end
local out = { 1 }
for i = 1, #ARGV, 2 do
  out[#out + 1] = redis.call("HGET", KEYS[1], ARGV[i]) or ""
  redis.call("HSET", KEYS[1], ARGV[i], ARGV[i + 1])
end
return out
