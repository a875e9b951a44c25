-- A pledge, its last 100 history entries, and whether the actor may see it.
-- KEYS: the community's key base.
-- ARGV: actor, cfgadmin, pledge
-- Returns {pledge_out, the entries, how many progress entries come before
-- them (so the caller numbers entries as corrections do)}.
local actor, cfg, n = ARGV[1], ARGV[2], ARGV[3]
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'visibility')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
if p[2] == 'private' and not is_admin(actor, cfg) and not biz_role(p[1], actor) then
  return fail('notfound', 'pledge ' .. n)
end
local before = 0
local len = redis.call('LLEN', key .. ':log')
if len > 100 then
  for _, raw in ipairs(redis.call('LRANGE', key .. ':log', 0, len - 101)) do
    if string.find(raw, '"kind":"progress"', 1, true) then before = before + 1 end
  end
end
return {pledge_out(n), redis.call('LRANGE', key .. ':log', -100, -1), before}
