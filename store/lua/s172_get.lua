-- One decision with its history, if the actor may see it.
-- ARGV: actor, cfgadmin, decision
local actor, cfg, n = ARGV[1], ARGV[2], ARGV[3]
local cur = redis.call('HMGET', base .. 's172:' .. n .. ':current', 'business', 'confidentiality')
if not cur[1] then return fail('notfound', 'decision ' .. n) end
if cur[2] ~= 'shareable' and not is_admin(actor, cfg) and not biz_role(cur[1], actor) then
  return fail('notfound', 'decision ' .. n)
end
return s172_out(n, true)
