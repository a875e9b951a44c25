-- Changes a business's company details (legal form, size, figures, year end).
-- KEYS[1]: business:ARGV[4] (the business)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: audit (the audit list)
-- KEYS[4]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, idem:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: business
-- ARGV[5..]: field/value pairs among form, size, figs, ye; an empty value removes the field
--   (unknown again). figs is "turnover,balance,employees", each part a value, '' to clear it or '?'
--   to keep what the business holds (merged here, so concurrent edits of different figures keep both).
-- Returns: 'ok'.
local actor, cfg, idem, biz = ARGV[1], ARGV[2], idem_key(ARGV[3], 'business-edit'), ARGV[4]
if replayed(idem, biz) then return 'ok' end
local key = base .. 'business:' .. biz
if redis.call('EXISTS', key) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then return fail('forbidden', 'edit ' .. biz) end
local allowed = {form = true, size = true, figs = true, ye = true}

local function merge_figs(cur, change)
  local old, new = {}, {}
  for p in (cur .. ','):gmatch('([^,]*),') do old[#old + 1] = p end
  for p in (change .. ','):gmatch('([^,]*),') do
    if p == '?' then p = old[#new + 1] or '' end
    new[#new + 1] = p
  end
  local merged = table.concat(new, ',')
  if string.gsub(merged, ',', '') == '' then return '' end
  return merged
end

local said = {}
for i = 5, #ARGV, 2 do
  local f, v = ARGV[i], ARGV[i + 1]
  if not allowed[f] then return fail('invalid', 'field ' .. f) end
  if f == 'figs' then v = merge_figs(redis.call('HGET', key, 'figs') or '', v) end
  if v == '' then
    redis.call('HDEL', key, f)
  else
    redis.call('HSET', key, f, v)
  end
  said[#said + 1] = f
end
audit(actor, 'business.edit', biz, '', table.concat(said, ' '))
remember(idem, biz)
return 'ok'
