--[[
  Removes one event's keys (the issuer's retention, SPEC §7), unless its admission log still
  holds records that MySQL does not have yet: those are drained first, and a record appended
  between that drain and this call must not be lost with the keys. The number of keys is the
  caller's (every key of EventKeys), hence "-n".

  KEYS[1] log (stream, includes/log.lua)  KEYS[2..] the event's other keys

  Returns 1 when the keys were removed, 0 when the log is not empty (nothing was removed).
]]
if redis.call("XLEN", KEYS[1]) > 0 then return 0 end
redis.call("UNLINK", unpack(KEYS))
return 1
