-- Reserves a business name's skeleton (bot.NameKey) for business n when it
-- exists and nothing holds the skeleton yet, and notes it on the business
-- so deleting it frees the skeleton (store/business.go MigrateNameKeys).
-- KEYS[1]: business-names (business names -> numbers)
-- Derived keys: business:*
-- ARGV[1]: business number n
-- ARGV[2]: its name's skeleton
-- Returns: 1 when reserved, 0 otherwise.
local n, skel = ARGV[1], ARGV[2]
local bkey = base .. 'business:' .. n
if redis.call('EXISTS', bkey) == 0 then return 0 end
if redis.call('HSETNX', base .. 'business-names', skel, n) == 0 then return 0 end
redis.call('HSET', bkey, 'name_skel', skel)
return 1
