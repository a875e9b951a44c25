-- A partner's member records what difference a pledge made to their
-- partner, in their own words: the pledge keeps the latest (long field oc,
-- ob who, oa when), the ledger every one (kind outcome, which moves no
-- figure), and the index outcomes (pledge -> when) lets the report page
-- read a period's case studies without visiting every pledge.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: months (the months holding figures)
-- KEYS[4]: theme-slots (themes' slots in the bitmaps)
-- KEYS[5]: outcomes (pledges by latest outcome)
-- KEYS[6]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[7]: day-sums (how far the day sums count)
-- Derived keys: business:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*, partner:*, person:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': an admin; it only decides whether a private pledge is named: only the partner's people may act)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: text (NFC, checked for length by Go)
-- ARGV[6]: now (unix)
-- Returns: the pledge as pledge_out, or an error: notfound, nopartner,
-- notpartner "N PARTNER".
local actor, n = ARGV[1], ARGV[4]
local idem = idem_key(ARGV[3], 'pledge-outcome')
if replayed(idem, n) then return pledge_out(n) end
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'theme', 'pt', 'visibility')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
local member = p[3] and redis.call('HEXISTS', base .. 'partner:' .. p[3] .. ':members', actor) == 1
if not member and p[4] == 'private' and not biz_role(p[1], actor) and not is_admin(actor, ARGV[2]) then
  return fail('notfound', 'pledge ' .. n)
end
if not p[3] then return fail('nopartner', n) end
if not member then return fail('notpartner', n .. ' ' .. p[3]) end

local now = tonumber(ARGV[6])
long_set(key, 'oc', ARGV[5])
redis.call('HSET', key, 'ob', actor, 'oa', now)
redis.call('ZADD', base .. 'outcomes', now, n)
record('outcome', n, p[1], p[2], '0', now, actor, cjson.encode({note = ARGV[5]}))
-- The business's history names them now: an erasure finds it through
-- person:WHO:past, as for a confirmation (confirm.lua).
person_add(actor, 'past', p[1])
redis.call('SADD', base .. 'business:' .. p[1] .. ':past', actor)
remember(idem, n)
return pledge_out(n)
