-- Appends an amendment to an s172 decision and moves its current values and
-- indexes; the original hash is never written again.
-- KEYS[1]: s172:ARGV[4] (the decision)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: audit (the audit list)
-- KEYS[4]: s172s (decisions by date)
-- KEYS[5]: s172:review (decisions by review date)
-- KEYS[6]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, idem:*, s172:*, pledge:*, pledges:*, persons:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: decision
-- ARGV[5]: amendment json
-- ARGV[6]: decision date score ('' unchanged)
-- ARGV[7]: review score ('' unchanged, 0 cleared)
-- ARGV[8..]: field/value pairs that change
-- Returns: the decision as s172_out (with its history).
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 's172-amend'), ARGV[4]
if replayed(idem, n) then return s172_out(n, true) end
local key = base .. 's172:' .. n
local cur = redis.call('HMGET', key .. ':current', 'business', 'confidentiality')
if not cur[1] then return fail('notfound', 'decision ' .. n) end
local admin = is_admin(actor, cfg)
if not admin and not biz_role(cur[1], actor) then
  if cur[2] == 'shareable' then return fail('forbidden', 'decision ' .. n) end
  return fail('notfound', 'decision ' .. n)
end
-- A bounded history keeps /s172 show readable and its reply small.
if redis.call('LLEN', key .. ':amendments') >= 200 then return fail('toomany', n) end
-- The record as it would be after the amendment, to check it still holds.
local after = {}
local flat = redis.call('HGETALL', key .. ':current')
for i = 1, #flat, 2 do after[flat[i]] = flat[i + 1] end
local changed = {}
for i = 8, #ARGV, 2 do
  after[ARGV[i]] = ARGV[i + 1]
  changed[ARGV[i]] = ARGV[i + 1]
end
local bad = s172_check(after, actor, admin, changed)
if bad then return bad end
local pairs_ = {}
for i = 8, #ARGV do pairs_[#pairs_ + 1] = ARGV[i] end
redis.call('HSET', key .. ':current', unpack(pairs_))
redis.call('RPUSH', key .. ':amendments', ARGV[5])
if ARGV[6] ~= '' then redis.call('ZADD', base .. 's172s', ARGV[6], n) end
if ARGV[7] == '0' then
  redis.call('ZREM', base .. 's172:review', n)
elseif ARGV[7] ~= '' then
  redis.call('ZADD', base .. 's172:review', ARGV[7], n)
end
audit(actor, 's172.amend', cur[1], '', 'decision ' .. n)
remember(idem, n)
return s172_out(n, true)
