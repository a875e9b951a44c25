-- ARGV: actor, cfgadmin, req, business (0: the actor's only one), text,
-- theme, target, unit, due, due score, visibility, now
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-add')
if idem then
  local done = redis.call('GET', idem)
  if done then return pledge_out(done) end
end
local biz = ARGV[4]
if biz == '0' then
  local mine = redis.call('SMEMBERS', base .. 'person:' .. actor)
  if #mine == 0 then return fail('nobusiness') end
  if #mine > 1 then return fail('manybusinesses', table.concat(mine, ',')) end
  biz = mine[1]
end
if redis.call('EXISTS', base .. 'business:' .. biz) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and not biz_role(biz, actor) then return fail('forbidden', 'business ' .. biz) end
local theme, target, due, now = ARGV[6], ARGV[7], ARGV[9], ARGV[12]
local n = redis.call('INCR', base .. 'seq:pledge')
-- Defaults (public, no progress, no due date) are left out: absent fields
-- cost nothing, and memory per pledge is a budget.
local key = base .. 'pledge:' .. n
redis.call('HSET', key, 'business', biz, 'text', ARGV[5], 'theme', theme, 'target', target,
  'unit', ARGV[8], 'status', 'active', 'created_by', actor, 'created_at', now, 'updated_at', now)
if due ~= '' then redis.call('HSET', key, 'due', due) end
if ARGV[11] ~= 'public' then redis.call('HSET', key, 'visibility', ARGV[11]) end
redis.call('SADD', base .. 'business:' .. biz .. ':pledges', n)
if due ~= '' then redis.call('ZADD', base .. 'due', ARGV[10], n) end
redis.call('ZADD', base .. 'updated', now, n)
local totals = base .. 'totals'
redis.call('HINCRBYFLOAT', totals, 'committed:' .. theme, target)
redis.call('HINCRBY', totals, 'pledges:' .. theme, 1)
redis.call('HINCRBY', totals, 'status:active', 1)
audit(actor, 'pledge.add', biz, n, theme .. ' ' .. target)
stats_event(n, 'add', now)
activity('created', n, biz, theme, target, now)
remember(idem, n)
return pledge_out(n)
