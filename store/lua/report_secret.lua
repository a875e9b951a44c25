-- The community's report-link secret, set once so replicas agree.
-- KEYS[1]: report-secret (the public report's secret)
-- ARGV[1]: a fresh secret to keep if there is none yet ('' only reads)
-- Returns: the secret kept, or nil when there is none and ARGV[1] is ''.
local key = base .. 'report-secret'
local s = redis.call('GET', key)
if s then return s end
if ARGV[1] == '' then return false end
redis.call('SET', key, ARGV[1])
return ARGV[1]
