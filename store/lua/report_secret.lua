-- The community's report-link secret, set once so replicas agree.
-- ARGV: a fresh secret to keep if there is none yet ('' only reads).
local key = base .. 'report-secret'
local s = redis.call('GET', key)
if s then return s end
if ARGV[1] == '' then return false end
redis.call('SET', key, ARGV[1])
return ARGV[1]
