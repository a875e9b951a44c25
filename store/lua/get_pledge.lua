-- A pledge, its last 100 history entries, and whether the actor may see it.
-- ARGV: actor, cfgadmin, pledge
local actor, cfg, n = ARGV[1], ARGV[2], ARGV[3]
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'visibility')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
if p[2] == 'private' and not is_admin(actor, cfg) and not biz_role(p[1], actor) then
  return fail('notfound', 'pledge ' .. n)
end
return {pledge_out(n), redis.call('LRANGE', key .. ':log', -100, -1)}
