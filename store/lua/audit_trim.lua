-- Drops the audit entries older than a time: the list is in id order, and
-- ids are times (audit in lua/prelude.lua), so they are the head of the
-- list up to the first entry at or after it, found by bisection.
-- KEYS[1]: audit (the audit list)
-- ARGV[1]: before (Unix ms)
-- Returns: entries dropped.
local key, before = base .. 'audit', tonumber(ARGV[1])
local lo, hi = 0, redis.call('LLEN', key)
while lo < hi do
  local mid = math.floor((lo + hi) / 2)
  if audit_id(redis.call('LINDEX', key, mid)) < before then lo = mid + 1 else hi = mid end
end
if lo > 0 then redis.call('LTRIM', key, lo, -1) end
return lo
