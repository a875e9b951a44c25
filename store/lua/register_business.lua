-- KEYS[1]: audit (the audit list)
-- KEYS[2]: business-names (business names -> numbers)
-- KEYS[3]: seq:business (the business counter)
-- KEYS[4]: migrations (the migrations done)
-- KEYS[5]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, business-seen:*, idem:*, person:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[3]: name
-- ARGV[4]: name key (bot.NameKey: its look-alike skeleton)
-- ARGV[5]: sector
-- ARGV[6]: postcode
-- ARGV[7]: now (unix)
-- ARGV[8]: the lowercased name (the key of businesses registered before skeletons; '' for none)
-- ARGV[9..]: field/value pairs of its company details (form size figs ye), only those given: absent means unknown
-- Returns: the new business's number.
local actor, idem = ARGV[1], idem_key(ARGV[2], 'business-register')
local done = idem_result(idem)
if done then return done end
local names = base .. 'business-names'
local taken = redis.call('HGET', names, ARGV[4]) or (ARGV[8] and ARGV[8] ~= '' and redis.call('HGET', names, ARGV[8]))
if taken then return fail('conflict', 'business ' .. taken) end
local n = redis.call('INCR', base .. 'seq:business')
-- A community's first business starts it on the ledger and monthly sums:
-- it has no figures of an earlier release to migrate (MigrateFigures,
-- MigrateVouched).
if n == 1 then
  redis.call('HSETNX', base .. 'migrations', 'figures', 'new')
  redis.call('HSETNX', base .. 'migrations', 'vouched', 'new')
end
local key = base .. 'business:' .. n
redis.call('HSET', key, 'name', ARGV[3], 'sector', ARGV[5], 'postcode', ARGV[6],
  'created_by', person_number(actor), 'created_at', ARGV[7])
for i = 9, #ARGV, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
redis.call('HSET', key .. ':members', actor, 'owner')
person_add(actor, '', n)
-- The key is computed in Go (Lua knows neither Unicode case nor
-- confusables). The business does not keep a copy (name_key up to
-- name-key-2026-12): a delete computes it again from the name, and finds
-- it by number if the computation has changed since (delete_business.lua).
redis.call('HSET', names, ARGV[4], n)
audit(actor, 'business.register', n, '', ARGV[3])
redis.call('ZADD', seen_key(n), ARGV[7], n)
remember(idem, n)
return n
