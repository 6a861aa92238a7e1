--[[
  Applies an event's scheduled setting changes that are due (issue 13), exactly once each, and
  measures what the what-if preview needs: the scheduler's real tick period and the issue rate.
  Run by the scheduler's leader once per tick per event, before schedule-8.lua, with the same
  fencing token: a paused former leader cannot apply anything after a takeover, and since a
  change leaves `due` in the same atomic step that writes it to the meta and records it in
  `applied`, no failover can apply one twice or lose one.

  KEYS[1] meta  KEYS[2] due (sorted set: change id -> apply at, ms)
  KEYS[3] changes (hash: change id -> JSON of the settings it sets)
  KEYS[4] applied (hash: change id -> applied at, ms; the issuer writes these back to MySQL)
  KEYS[5] sched (hash: fence, shared with schedule-8.lua)
  KEYS[6] flow (hash: tickAt, tickMs = tick period EWMA, at, issued, issueRate = issues/s EWMA,
          admitted and expired = totals of the scheduler's moves and of slots that expired unused)
  KEYS[7] issued
  ARGV[1] fencing token of the caller's scheduler lease
  ARGV[2] moved into running by the caller's previous tick  ARGV[3] slots it expired

  Changes apply in time order, ties by id (the later-scheduled wins). An rpmThreshold of null
  hands the event back to the global threshold.

  Returns {n, id1, …, idn}: the ids applied now; {0} for an event that is gone; {-1} when a newer
  lease holder has ticked this event (the caller lost its lease).
]]
--- @include "clock"
local now = redisNow()
local fence = tonumber(ARGV[1])
local lastFence = tonumber(redis.call("HGET", KEYS[5], "fence") or "0")
if fence < lastFence then return {-1} end
-- An event retired by the issuer: write nothing, so that no key outlives the removal.
if redis.call("EXISTS", KEYS[1]) == 0 then return {0} end
if fence > lastFence then redis.call("HSET", KEYS[5], "fence", fence) end

local f = redis.call("HMGET", KEYS[6], "tickAt", "tickMs", "at", "issued", "issueRate")
-- The tick's measures, written in one HSET.
local set = { "tickAt", now }
local tickAt = tonumber(f[1] or "0")
local gap = now - tickAt
-- A gap of seconds is a failover or a restart, not the tick period.
if tickAt > 0 and gap > 0 and gap < 3000 then
  local t = tonumber(f[2] or "0")
  if t > 0 then t = 0.8 * t + 0.2 * gap else t = gap end
  set[#set + 1] = "tickMs"
  set[#set + 1] = string.format("%.1f", t)
end
local moved, expired = tonumber(ARGV[2] or "0"), tonumber(ARGV[3] or "0")
if moved > 0 then redis.call("HINCRBY", KEYS[6], "admitted", moved) end
if expired > 0 then redis.call("HINCRBY", KEYS[6], "expired", expired) end
local at = tonumber(f[3] or "0")
-- The issue rate is sampled at most once a second (HLEN only then).
if at == 0 or now - at >= 1000 then
  local issued = redis.call("HLEN", KEYS[7])
  set[#set + 1] = "at"
  set[#set + 1] = now
  set[#set + 1] = "issued"
  set[#set + 1] = issued
  if at > 0 then
    local sample = (issued - tonumber(f[4] or "0")) * 1000 / (now - at)
    local rate = tonumber(f[5] or "-1")
    if rate >= 0 then rate = 0.7 * rate + 0.3 * sample else rate = sample end
    set[#set + 1] = "issueRate"
    set[#set + 1] = string.format("%.4f", rate)
  end
end
redis.call("HSET", KEYS[6], unpack(set))

local due = redis.call("ZRANGEBYSCORE", KEYS[2], "-inf", now, "WITHSCORES", "LIMIT", 0, 1000)
if #due == 0 then return {0} end
local list = {}
for i = 1, #due, 2 do list[#list + 1] = { id = due[i], at = tonumber(due[i + 1]) } end
table.sort(list, function(a, b)
  if a.at ~= b.at then return a.at < b.at end
  return tonumber(a.id) < tonumber(b.id)
end)
local out = { 0 }
local FIELDS = { "rpmThreshold", "admitPerTick", "runningCapacity" }
for _, c in ipairs(list) do
  local data = redis.call("HGET", KEYS[3], c.id)
  if data then
    local set = cjson.decode(data)
    for _, field in ipairs(FIELDS) do
      local v = set[field]
      if v == cjson.null then
        redis.call("HSET", KEYS[1], field, "")
      elseif type(v) == "number" then
        redis.call("HSET", KEYS[1], field, string.format("%d", v))
      end
    end
    redis.call("HSET", KEYS[4], c.id, now)
    out[#out + 1] = c.id
  end
  redis.call("HDEL", KEYS[3], c.id)
  redis.call("ZREM", KEYS[2], c.id)
end
out[1] = #out - 1
return out
