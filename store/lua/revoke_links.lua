-- Withdraws every confirm link made so far for a pledge, before they
-- expire: its link generation (field kg) goes up, and a link carries the
-- generation it was made in (report.ConfirmClaims), so older ones no
-- longer open. The business's owners and admins may. A replay of the
-- request withdraws nothing more.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, idem:*, pledge:*, pledges:*, persons:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- Returns: the pledge as pledge_out, or an error: notfound, forbidden.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'confirm-revoke'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local key = base .. 'pledge:' .. n
local b = redis.call('HMGET', key, 'business', 'visibility')
if not b[1] then return fail('notfound', 'pledge ' .. n) end
local admin, role = is_admin(actor, cfg), biz_role(b[1], actor)
if not admin and not role and b[2] == 'private' then return fail('notfound', 'pledge ' .. n) end
if not admin and role ~= 'owner' then return fail('forbidden', 'pledge ' .. n) end
redis.call('HINCRBY', key, 'kg', 1)
remember(idem, n)
return pledge_out(n)
