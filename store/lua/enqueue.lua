-- Decides and enqueues scheduled sends atomically, so that any number of
-- replicas running the same job send each notice exactly once: a run key
-- per (job, period) and a key per notice, each SET NX EX, and the notices
-- that won go into the durable outbox stream in the same step.
-- ARGV: run key ('' none), run ttl, notice ttl, run value, then pairs of
-- (notice key, notice json)
local run = ARGV[1]
if run ~= '' then
  if not redis.call('SET', base .. 'done:' .. run, ARGV[4], 'NX', 'EX', ARGV[2]) then return -1 end
end
local n = 0
for i = 5, #ARGV, 2 do
  if redis.call('SET', base .. 'once:' .. ARGV[i], '1', 'NX', 'EX', ARGV[3]) then
    redis.call('XADD', base .. 'outbox', '*', 'key', ARGV[i], 'notice', ARGV[i + 1])
    n = n + 1
  end
end
return n
