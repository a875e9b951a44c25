-- Puts a done or lapsed pledge back to active. Its close is taken out of
-- the figures of the month it happened in, and it counts as active again.
-- A pledge must come back with no due date or one from today on.
-- KEYS: the community's key base.
-- ARGV: actor, cfgadmin, req, pledge, due (YYYY-MM-DD, '' to keep the one
-- it has), due score, today (unix, 00:00 UTC), event json, now (unix)
-- Returns the pledge as pledge_out, or an error: notfound, forbidden,
-- notclosed "STATUS N", needdue DUE.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-reopen'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status ~= 'done' and p.status ~= 'lapsed' then return fail('notclosed', p.status .. ' ' .. n) end
local key = base .. 'pledge:' .. n
local due, score = ARGV[5], tonumber(ARGV[6])
if due == '' then
  local old = redis.call('HGET', key, 'due')
  if old then
    local y, m, d = string.match(old, '^(%d+)-(%d+)-(%d+)$')
    score = y and os_time_utc(tonumber(y), tonumber(m), tonumber(d)) or 0
    if score < tonumber(ARGV[7]) then return fail('needdue', old) end
  end
else
  redis.call('HSET', key, 'due', due)
end
local before = pledge_atoms(n)
redis.call('HDEL', key, 'status', 'closed_at')
figures_move(before, pledge_atoms(n))
if redis.call('HEXISTS', key, 'due') == 1 then redis.call('ZADD', base .. 'due', score, n) end
redis.call('ZADD', base .. 'updated', ARGV[9], n)
redis.call('HSET', key, 'updated_at', ARGV[9])
activity('reopened', n, p.business, p.theme, 0, ARGV[9], actor, event_extra(ARGV[8]))
if p.rate then rate_sync(n) end
need_met(redis.call('HGET', key, 'nd'), ARGV[9])
remember(idem, n)
return pledge_out(n)
