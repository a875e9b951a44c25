-- ARGV: actor, req, name, lowercased name, sector, postcode, now
local actor, idem = ARGV[1], idem_key(ARGV[2], 'business-register')
local done = idem_result(idem)
if done then return done end
local taken = redis.call('HGET', base .. 'business-names', ARGV[4])
if taken then return fail('conflict', 'business ' .. taken) end
local n = redis.call('INCR', base .. 'seq:business')
local key = base .. 'business:' .. n
redis.call('HSET', key, 'name', ARGV[3], 'sector', ARGV[5], 'postcode', ARGV[6],
  'created_by', actor, 'created_at', ARGV[7])
redis.call('HSET', key .. ':members', actor, 'owner')
redis.call('SADD', base .. 'person:' .. actor, n)
redis.call('HSET', base .. 'business-names', ARGV[4], n)
-- Go lowercases Unicode; Lua's string.lower only ASCII: keep the key so a
-- delete frees exactly the name it reserved.
redis.call('HSET', key, 'name_key', ARGV[4])
redis.call('ZADD', base .. 'businesses', n, n)
audit(actor, 'business.register', n, '', ARGV[3])
redis.call('ZADD', base .. 'business-seen', ARGV[7], n)
remember(idem, n)
return n
