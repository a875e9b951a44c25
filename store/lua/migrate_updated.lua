-- Moves the one zset updated of releases before into the buckets of
-- updated_key (lua/prelude.lua), a batch a call. A pledge a new write has
-- filed already keeps its later time (GT); one closed meanwhile, or gone,
-- is dropped, as closing drops it. Done twice, or cut short, it is
-- harmless.
-- KEYS[1]: updated (the old index of pledges by last change)
-- KEYS[2]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, updated:*, pledge:*, pledges:*, persons:*
-- ARGV[1]: how many
-- Returns: how many are left in updated.
local old = base .. 'updated'
local batch = redis.call('ZRANGE', old, 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local done = {}
for i = 1, #batch, 2 do
  local n = batch[i]
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'business', 'status')
  if p[1] and (p[2] or 'active') == 'active' then redis.call('ZADD', updated_key(n), 'GT', batch[i + 1], n) end
  done[#done + 1] = n
end
if #done > 0 then redis.call('ZREM', old, unpack(done)) end
return redis.call('ZCARD', old)
