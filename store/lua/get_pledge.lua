-- A pledge, its history (the last 100 entries, or all), and whether the
-- actor may see it.
-- KEYS[1]: pledge:ARGV[3] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: theme-slots (themes' slots in the bitmaps)
-- KEYS[4]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, partner:*, persons:*
-- ARGV[1]: actor (identity key)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: pledge
-- ARGV[4]: 'all' for the whole history
-- Returns: {pledge_out, the entries as JSON, how many progress entries come
-- before them (so the caller numbers entries as corrections do)}.
local actor, cfg, n = ARGV[1], ARGV[2], ARGV[3]
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'visibility', 'pt')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
-- A private pledge is its business's and, as it is addressed to them, its
-- partner's people's.
if p[2] == 'private' and not is_admin(actor, cfg) and not biz_role(p[1], actor)
  and not (p[3] and redis.call('HEXISTS', base .. 'partner:' .. p[3] .. ':members', actor) == 1) then
  return fail('notfound', 'pledge ' .. n)
end
local log = pledge_log(n)
local first, before = 1, 0
if ARGV[4] ~= 'all' and #log > 100 then first = #log - 99 end
for i = 1, first - 1 do
  if log[i].kind == 'progress' then before = before + 1 end
end
local out = {}
for i = first, #log do out[#out + 1] = cjson.encode(log[i]) end
return {pledge_out(n), out, before}
