-- Decides and enqueues scheduled sends atomically, so that any number of
-- replicas running the same job send each notice exactly once: a run key
-- per (job, period) and a decision per notice, each kept for its ttl, and
-- the notices that won go into the durable outbox stream in the same step.
-- A notice about a pledge is decided in the pledge's hash (notice_decide
-- in prelude.lua), and dropped when the pledge no longer exists: nothing
-- about a deleted business's pledges goes out. Any other notice is decided
-- by a key once:KEY (SET NX EX).
-- KEYS[1]: outbox (the notices to send)
-- KEYS[2]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, once:*, done:*, persons:*
-- ARGV[1]: run key ('' none)
-- ARGV[2]: run ttl (seconds)
-- ARGV[3]: notice ttl (seconds)
-- ARGV[4]: run value
-- ARGV[5..]: pairs of (notice key, notice json)
-- Returns: how many notices were enqueued, or -1 when the run key was taken.
local run = ARGV[1]
if run ~= '' then
  if not redis.call('SET', base .. 'done:' .. run, ARGV[4], 'NX', 'EX', ARGV[2]) then return -1 end
end
local ttl = tonumber(ARGV[3])
local n = 0
for i = 5, #ARGV, 2 do
  local key, won = ARGV[i], false
  local pledge, field = notice_field(key)
  if not pledge then
    won = redis.call('SET', base .. 'once:' .. key, '1', 'NX', 'EX', ttl)
  elseif redis.call('EXISTS', base .. 'pledge:' .. pledge) == 1 then
    won = notice_decide(pledge, key, field, ttl)
  end
  if won then
    redis.call('XADD', base .. 'outbox', '*', 'key', key, 'notice', ARGV[i + 1])
    n = n + 1
  end
end
return n
