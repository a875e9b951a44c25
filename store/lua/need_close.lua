-- Closes a need: no more pledges against it; those made stay.
-- KEYS[1]: need:ARGV[4] (the need)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: audit (the audit list)
-- KEYS[4]: role:coordinator (the partners' coordinators)
-- KEYS[5]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, idem:*, need:*, partner:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: need
-- ARGV[5]: now (unix)
-- Returns: the need's number; refuses 'notfound need N', 'closed N' and
-- 'forbidden needclose N' (only its partner's people, its poster,
-- coordinators and admins may close it).
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'need-close'), ARGV[4]
if replayed(idem, n) then return tonumber(n) end
local key = base .. 'need:' .. n
local h = redis.call('HMGET', key, 'theme', 'pt', 'by', 'status')
if not h[1] then return fail('notfound', 'need ' .. n) end
if h[4] == 'closed' then return fail('closed', n) end
local ok = h[3] == actor or is_admin(actor, cfg) or redis.call('SISMEMBER', base .. 'role:coordinator', actor) == 1
ok = ok or (h[2] and redis.call('HEXISTS', base .. 'partner:' .. h[2] .. ':members', actor) == 1)
if not ok then return fail('forbidden', 'needclose ' .. n) end
redis.call('HSET', key, 'status', 'closed', 'closed_at', ARGV[5])
audit(actor, 'need.close', '', '', 'need:' .. n)
remember(idem, n)
return tonumber(n)
