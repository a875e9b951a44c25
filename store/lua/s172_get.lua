-- One decision with its history, if the actor may see it.
-- KEYS[1]: s172:ARGV[3] (the decision)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, s172:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: decision
-- Returns: the decision as s172_out (with its history), if the actor may see it.
local actor, cfg, n = ARGV[1], ARGV[2], ARGV[3]
local cur = redis.call('HMGET', base .. 's172:' .. n .. ':current', 'business', 'confidentiality')
if not cur[1] then return fail('notfound', 'decision ' .. n) end
if cur[2] ~= 'shareable' and not is_admin(actor, cfg) and not biz_role(cur[1], actor) then
  return fail('notfound', 'decision ' .. n)
end
return s172_out(n, true)
