-- ARGV: actor, cfgadmin, req, pledge, amount, event json, now
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-progress'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status ~= 'active' then return fail('status', p.status) end
local key = base .. 'pledge:' .. n
redis.call('HINCRBYFLOAT', key, 'progress', ARGV[5])
redis.call('HSET', key, 'updated_at', ARGV[7])
redis.call('RPUSH', key .. ':log', ARGV[6])
redis.call('ZADD', base .. 'updated', ARGV[7], n)
audit(actor, 'pledge.progress', p.business, n, ARGV[6])
-- The business's name (for the answer) and postcode (for the counters'
-- scopes) in one read.
local b = redis.call('HMGET', base .. 'business:' .. p.business, 'name', 'postcode')
stats_defer('p', ARGV[7], ARGV[5], p.business, p.theme, b[2])
activity('progress', n, p.business, p.theme, ARGV[5], ARGV[7])
remember(idem, n)
return pledge_out(n, nil, b[1] or '')
