--[[
  One bounded step of the pre-queue shuffle (includes/prequeue.lua), run by the scheduler under
  its fenced lease at its first tick at or after startsAt. The order itself is computed in Node
  (Redis Lua has no HMAC-SHA256: prequeueOrder in packages/api/src/fairness.ts); this applies it.

  KEYS[1] meta  KEYS[2] waiting  KEYS[3] sched (hash: fence, preSeq)
  KEYS[4] log (includes/log.lua): finish appends the "shuffle" record, the moment the verifier
  takes the block at
  ARGV[1] fencing token of the caller's scheduler lease
  ARGV[2] "apply" | "finish"
  ARGV[3..] apply only: score, userId pairs (the caller sends at most 2,000 pairs per step)

  apply: gives each listed user the score if they are still in the block (in waiting with a score
  <= preSeq): someone who left meanwhile is not brought back, and someone who came back after the
  start stays behind it. Idempotent: an attempt after a failover reads the whole block again
  (shuffled scores included) and rewrites every score.
  finish: sets meta.shuffledAt (Redis's clock) once no member of the block still has its arrival
  number (a score in (0, preSeq]), i.e. every one of them has a shuffled score.

  Returns {1, applied} (apply) | {1, shuffledAt} (finish) | {0} (finish: someone in the block has
  no shuffled score; read it again) | {-1} (a newer lease holder has ticked this event: stop) |
  {-2} (nothing to do: not a shuffle event, not started, gone, or shuffled already).
]]
--- @include "clock"
--- @include "log"
local fence = tonumber(ARGV[1])
local lastFence = tonumber(redis.call("HGET", KEYS[3], "fence") or "0")
if fence < lastFence then return {-1} end
local m = redis.call("HMGET", KEYS[1], "prequeue", "shuffledAt", "startsAt")
local now = redisNow()
if m[1] ~= "shuffle" or m[2] or now < tonumber(m[3]) then return {-2} end
if fence > lastFence then redis.call("HSET", KEYS[3], "fence", fence) end
local pre = tonumber(redis.call("HGET", KEYS[3], "preSeq") or "0")

if ARGV[2] == "finish" then
  if redis.call("ZCOUNT", KEYS[2], "(0", pre) > 0 then return {0} end
  redis.call("HSET", KEYS[1], "shuffledAt", now)
  logAppend(KEYS[4], "shuffle", "", nil, now)
  return {1, now}
end

local users = {}
for i = 4, #ARGV, 2 do users[#users + 1] = ARGV[i] end
if #users == 0 then return {1, 0} end
local scores = redis.call("ZMSCORE", KEYS[2], unpack(users))
local updates = {}
for j, score in ipairs(scores) do
  if score and tonumber(score) <= pre then
    updates[#updates + 1] = ARGV[2 * j + 1]
    updates[#updates + 1] = users[j]
  end
end
if #updates > 0 then redis.call("ZADD", KEYS[2], "XX", unpack(updates)) end
return {1, #updates / 2}
