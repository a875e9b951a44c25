-- Marks active pledges due before a cutoff as lapsed, at most `limit` per
-- call (the caller loops), keeping the status counters right.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: months (the months holding figures)
-- KEYS[3]: lapse-untold (lapsed pledges not yet told)
-- KEYS[4]: area-sums (how far the area sums count)
-- KEYS[5]: districts (the districts with area sums)
-- KEYS[6]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[7]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, due:*, business-seen:*, pledge:*, pledges:*, ledger:*, sums:*,
--   dbits:*, dsums:*, need:*, persons:*, day:*, daybits:*
-- ARGV[1]: cutoff (unix)
-- ARGV[2]: event json
-- ARGV[3]: now (unix)
-- ARGV[4]: limit
-- Returns: {how many index entries it read (0: none left, the caller stops), the pledges it lapsed}.
local cutoff, ev, now = ARGV[1], ARGV[2], ARGV[3]
-- (due is kept in buckets of pledges, due_key: buckets_below merges them,
-- earliest due first as before)
local ids = buckets_below(bucket_keys('due', 'seq:pledge'), cutoff, tonumber(ARGV[4]))
local out = {}
for i, n in ipairs(ids) do
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'status', 'business', 'theme')
  if p[2] and (p[1] or 'active') == 'active' then
    set_status(n, 'active', 'lapsed', now)
    redis.call('HSET', key, 'updated_at', now)
    activity('lapsed', n, p[2], p[3], 0, now, 'pledgebot', event_extra(ev))
    need_met(redis.call('HGET', key, 'nd'), now)
    -- Its owners are told from here until the telling is done, so a
    -- failure between lapsing and telling is retried by the next run.
    redis.call('SADD', base .. 'lapse-untold', n)
    out[#out + 1] = n
  else
    -- a stale index entry: the pledge left 'active' some other way
    redis.call('ZREM', due_key(n), n)
  end
end
return {#ids, out}
