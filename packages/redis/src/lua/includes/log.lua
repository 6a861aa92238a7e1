--[[
  Include: the event's admission log, a stream appended to inside the scripts where someone
  enters, is admitted or leaves, so that the log costs no round trip of its own (SPEC §6). The
  issuer drains it into MySQL (admission_log) and trims what it has persisted. Needs the slot's
  running set only for logAdmission.

  Fields: k kind (entry | admit | leave | evict | expire | issue | close), u user, s entry
  sequence (entry; admit when queued; leave when waiting), t Redis time (ms), m admit: direct |
  queued, close: sold_out | ended.
]]
local function logAppend(logKey, kind, user, seq, now, mode)
  redis.call("XADD", logKey, "*", "k", kind, "u", user, "s", seq or "", "t", now, "m", mode or "")
end

-- An admission. A slot the user still holds past its deadline, not swept by the scheduler yet, is
-- logged as expired first, so that every admission's end is in the log before the next one.
local function logAdmission(logKey, runningKey, user, seq, now, mode)
  if redis.call("ZSCORE", runningKey, user) then logAppend(logKey, "expire", user, nil, now) end
  logAppend(logKey, "admit", user, seq, now, mode)
end

-- The same for the queued admissions of users[from..to] (at most 1,000, one ZMSCORE each for
-- their entry sequences, their scores in waiting, and for slots they still hold).
local function logQueuedAdmissions(logKey, waitingKey, runningKey, users, from, to, now)
  local seqs = redis.call("ZMSCORE", waitingKey, unpack(users, from, to))
  local held = redis.call("ZMSCORE", runningKey, unpack(users, from, to))
  for i = from, to do
    if held[i - from + 1] then logAppend(logKey, "expire", users[i], nil, now) end
    -- A member of a shuffled pre-queue block has a drawn score (< 0), not an entry sequence.
    local seq = seqs[i - from + 1]
    if seq and tonumber(seq) < 0 then seq = nil end
    logAppend(logKey, "admit", users[i], seq, now, "queued")
  end
end
