-- Records an s172 decision. Everything is checked before anything is written.
-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: audit (the audit list)
-- KEYS[3]: seq:s172 (the decision counter)
-- KEYS[4]: s172s (decisions by date)
-- KEYS[5]: s172:logged (decisions by logging time)
-- KEYS[6]: s172:review (decisions by review date)
-- KEYS[7]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, person:*, idem:*, s172:*, pledge:*, pledges:*, persons:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: business (0: the actor's only one)
-- ARGV[5]: now (unix)
-- ARGV[6]: decision date score
-- ARGV[7]: review date score (0: none)
-- ARGV[8..]: field/value pairs (title, date, options, stakeholders, a-f, tradeoffs, outcome, followups,
--   review, pledges, confidentiality)
-- Returns: the decision as s172_out (with its history).
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 's172-log')
local done = idem_result(idem)
if done then return s172_out(done, true) end
local biz = ARGV[4]
if biz == '0' then
  local err
  biz, err = own_business(actor)
  if not biz then return err end
end
if redis.call('EXISTS', base .. 'business:' .. biz) == 0 then return fail('notfound', 'business ' .. biz) end
local admin = is_admin(actor, cfg)
if not admin and not biz_role(biz, actor) then return fail('forbidden', 'business ' .. biz) end
local fields = {}
for i = 8, #ARGV, 2 do fields[ARGV[i]] = ARGV[i + 1] end
local bad = s172_check(fields, actor, admin)
if bad then return bad end
local n = redis.call('INCR', base .. 'seq:s172')
local key = base .. 's172:' .. n
local pairs_ = {'business', biz, 'created_by', actor, 'created_at', ARGV[5]}
for i = 8, #ARGV do pairs_[#pairs_ + 1] = ARGV[i] end
redis.call('HSET', key, unpack(pairs_))
redis.call('HSET', key .. ':current', 'business', biz, unpack(pairs_, 7))
redis.call('ZADD', base .. 's172s', ARGV[6], n)
redis.call('ZADD', base .. 's172:logged', ARGV[5], n)
if ARGV[7] ~= '0' then redis.call('ZADD', base .. 's172:review', ARGV[7], n) end
redis.call('SADD', base .. 'business:' .. biz .. ':s172', n)
audit(actor, 's172.log', biz, '', 'decision ' .. n)
remember(idem, n)
return s172_out(n, true)
