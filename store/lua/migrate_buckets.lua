-- Moves the one zset due, or business-seen, of releases before into the
-- buckets of due_key, or seen_key (lua/prelude.lua), a batch a call, and
-- drops businesses, the index of all businesses (they are numbered
-- 1..seq:business now, Store.Businesses). A due date a new write has
-- filed already stays (NX: an edit or a reopening set it); one of a
-- pledge closed meanwhile, or whose date was taken off, or gone, is
-- dropped, as those writes drop it. A business's activity keeps its later
-- time (GT); a deleted business's is dropped. Done twice, or cut short, it
-- is harmless.
-- KEYS[1]: businesses (the old index of businesses)
-- KEYS[2]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, due:*, business-seen:*, pledge:*, pledges:*, persons:*
-- ARGV[1]: how many
-- ARGV[2]: 'due' or 'business-seen'
-- Returns: how many are left in the old zset.
redis.call('DEL', base .. 'businesses')
local name = ARGV[2]
local old = base .. name
local batch = redis.call('ZRANGE', old, 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local done = {}
for i = 1, #batch, 2 do
  local n = batch[i]
  if name == 'due' then
    local p = redis.call('HMGET', base .. 'pledge:' .. n, 'business', 'status', 'due')
    if p[1] and (p[2] or 'active') == 'active' and p[3] then redis.call('ZADD', due_key(n), 'NX', batch[i + 1], n) end
  elseif redis.call('EXISTS', base .. 'business:' .. n) == 1 then
    redis.call('ZADD', seen_key(n), 'GT', batch[i + 1], n)
  end
  done[#done + 1] = n
end
if #done > 0 then redis.call('ZREM', old, unpack(done)) end
return redis.call('ZCARD', old)
