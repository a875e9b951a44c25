-- A business's stakeholder register (business:N:stk, hash: name key ->
-- JSON {"n": name, "h": how engaged}), read and written by its owners,
-- members and admins.
-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: audit (the audit list)
-- KEYS[3]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, person:*, idem:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: business (0: the actor's only one)
-- ARGV[5]: op (add|remove|list)
-- ARGV[6]: name key
-- ARGV[7]: JSON entry (add only)
-- ARGV[8]: register cap
-- Returns: {business, status, entries...}: status 'added', 'updated',
-- 'removed' or 'list'; entries are the register's JSON values.
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 's172-stk')
local biz, op, nk = ARGV[4], ARGV[5], ARGV[6]
if biz == '0' then
  local err
  biz, err = own_business(actor)
  if not biz then return err end
end
if redis.call('EXISTS', base .. 'business:' .. biz) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and not biz_role(biz, actor) then return fail('forbidden', 'stakeholders ' .. biz) end
local key = base .. 'business:' .. biz .. ':stk'
if op == 'list' then
  local out = {biz, 'list'}
  for _, v in ipairs(redis.call('HVALS', key)) do out[#out + 1] = v end
  return out
end
local done = idem_result(idem)
if done then return {biz, done} end
local status
if op == 'add' then
  status = 'added'
  if redis.call('HEXISTS', key, nk) == 1 then
    status = 'updated'
  elseif redis.call('HLEN', key) >= tonumber(ARGV[8]) then
    return fail('toomany', ARGV[8])
  end
  redis.call('HSET', key, nk, ARGV[7])
else
  if redis.call('HDEL', key, nk) == 0 then return fail('notfound', 'stakeholder ' .. biz) end
  status = 'removed'
end
audit(actor, 's172.stakeholders.' .. op, biz, '', nk)
remember(idem, status)
return {biz, status}
