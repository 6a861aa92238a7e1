--[[
  Load an event's metadata and stock into Redis unless it is there already. The issued hash is
  filled first by the caller (idempotent HSETs); metadata is written last, in this call, because
  its presence is what lets issuance start, so two warmers can never reset a live stock counter.

  KEYS[1] meta  KEYS[2] remaining
  ARGV[1] remaining stock  ARGV[2..] field, value pairs of the metadata hash

  Returns 1 when this call warmed the event, 0 when it was warm already.
]]
if redis.call("EXISTS", KEYS[1]) == 1 then return 0 end
redis.call("SET", KEYS[2], ARGV[1])
redis.call("HSET", KEYS[1], unpack(ARGV, 2))
return 1
