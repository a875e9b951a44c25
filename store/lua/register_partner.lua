-- Registers a community partner with one partner-owner.
-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: audit (the audit list)
-- KEYS[3]: role:coordinator (the partners' coordinators)
-- KEYS[4]: partner-names (partner names -> numbers)
-- KEYS[5]: seq:partner (the partner counter)
-- KEYS[6]: partners (the partners)
-- KEYS[7]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, idem:*, partner:*, person:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: owner (identity; the actor when it is the actor)
-- ARGV[5]: name
-- ARGV[6]: name key (bot.NameKey: its look-alike skeleton)
-- ARGV[7]: area
-- ARGV[8]: about
-- ARGV[9]: now (unix)
-- Returns: the partner's number; refuses 'forbidden onbehalf' when the owner
-- is someone else and the actor is neither admin nor coordinator, and
-- 'conflict partner N' when a look-alike name is taken.
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 'partner-register')
local owner, name, name_key, area, about, now = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local done = idem_result(idem)
if done then return tonumber(done) end
if owner ~= actor and not is_admin(actor, cfg) and redis.call('SISMEMBER', base .. 'role:coordinator', actor) == 0 then
  return fail('forbidden', 'onbehalf')
end
local names = base .. 'partner-names'
local taken = redis.call('HGET', names, name_key)
if taken then return fail('conflict', 'partner ' .. taken) end
local n = redis.call('INCR', base .. 'seq:partner')
local key = base .. 'partner:' .. n
-- Who registered it is in the audit trail, which erasure scrubs; the hash
-- names nobody, so erasing a registrant has nothing to rewrite here.
local h = {'name', name, 'name_key', name_key, 'created_at', now}
if area ~= '' then h[#h + 1] = 'area'; h[#h + 1] = area end
if about ~= '' then h[#h + 1] = 'about'; h[#h + 1] = about end
redis.call('HSET', key, unpack(h))
redis.call('HSET', key .. ':members', owner, 'partner-owner')
redis.call('ZADD', key .. ':joined', now, owner)
person_add(owner, 'partners', n)
redis.call('HSET', names, name_key, n)
redis.call('ZADD', base .. 'partners', n, n)
audit(actor, 'partner.register', '', '', name)
if owner ~= actor then audit(actor, 'partner.set-member', '', '', owner .. ' partner-owner partner:' .. n) end
remember(idem, n)
return n
