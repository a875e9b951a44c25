-- Posts a need: what a community partner, a coordinator or the council
-- says the community needs, for businesses to pledge against.
-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: audit (the audit list)
-- KEYS[3]: seq:need (the need counter)
-- KEYS[4]: needs (open needs)
-- KEYS[5]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, idem:*, role:*, partner:*, need:*, person:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: text
-- ARGV[5]: theme
-- ARGV[6]: target (in the theme's unit)
-- ARGV[7]: unit (as the poster gave it)
-- ARGV[8]: factor (its unit to the theme's; '' for 1)
-- ARGV[9]: partner ('' for none)
-- ARGV[10]: area ('' for anywhere)
-- ARGV[11]: due (YYYY-MM-DD or '')
-- ARGV[12]: now (unix)
-- Returns: the need's number; refuses 'notfound partner P', 'forbidden
-- needpartner P' (the actor does not act for P and holds no community
-- role) and 'forbidden needpost' (no partner and no community role).
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 'need-post')
local done = idem_result(idem)
if done then return tonumber(done) end
local partner = ARGV[9]
-- Council, coordinators and admins post for any partner or none.
local role = is_admin(actor, cfg)
for _, r in ipairs({'council', 'coordinator'}) do
  role = role or redis.call('SISMEMBER', base .. 'role:' .. r, actor) == 1
end
if partner ~= '' then
  if redis.call('EXISTS', base .. 'partner:' .. partner) == 0 then return fail('notfound', 'partner ' .. partner) end
  if not role and redis.call('HEXISTS', base .. 'partner:' .. partner .. ':members', actor) == 0 then
    return fail('forbidden', 'needpartner ' .. partner)
  end
elseif not role then
  return fail('forbidden', 'needpost')
end
local n = redis.call('INCR', base .. 'seq:need')
local key = base .. 'need:' .. n
local h = long_fields('text', ARGV[4])
for _, v in ipairs({'theme', ARGV[5], 'target', ARGV[6], 'unit', ARGV[7], 'by', actor, 'created_at', ARGV[12]}) do
  h[#h + 1] = v
end
for i, f in ipairs({'factor', 'pt', 'area', 'due'}) do
  local v = ARGV[7 + i]
  if v ~= '' then h[#h + 1] = f; h[#h + 1] = v end
end
redis.call('HSET', key, unpack(h))
redis.call('ZADD', base .. 'needs', n, n)
-- Erasure finds the needs a person posted here, without a scan.
person_add(actor, 'needs', n)
audit(actor, 'need.post', '', '', 'need:' .. n)
remember(idem, n)
return n
