-- Once per community, on upgrade: pledges of rate themes made before
-- themes had measures summed their reports. Each becomes a rate pledge
-- (measure = rate) whose progress is its latest report, and its figures
-- follow (figures_move). One call walks every
-- pledge of the community (about 1 ms per thousand), once: the
-- migrations hash remembers it was done.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: months (the months holding figures)
-- KEYS[3]: migrations (the migrations done)
-- KEYS[4]: seq:pledge (the pledge counter)
-- KEYS[5]: area-sums (how far the area sums count)
-- KEYS[6]: districts (the districts with area sums)
-- KEYS[7]: people (people's numbers, by which businesses' fields name them: folded_name)
-- KEYS[8]: day-sums (how far the day sums count)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, sums:*, dbits:*, dsums:*, persons:*, day:*, daybits:*
-- ARGV[1]: the release that migrates
-- ARGV[2..]: the rate themes' keys
-- Returns: how many pledges changed, or -1 when it was already done.
if redis.call('HEXISTS', base .. 'migrations', 'measures') == 1 then return -1 end
local rate = {}
for i = 2, #ARGV do rate[ARGV[i]] = true end
local changed = 0
for n = 1, tonumber(redis.call('GET', base .. 'seq:pledge') or '0') do
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'theme', 'measure', 'business')
  if p[3] and rate[p[1]] and p[2] ~= 'rate' then
    local before, value = figures_touched(n, {p[1]}), 0
    for _, e in ipairs(progress_entries(n)) do
      if e.amount ~= 0 then value = e.amount end
    end
    redis.call('HSET', key, 'measure', 'rate', 'progress', decimal(value))
    touched_move(before, figures_touched(n, {p[1]}))
    changed = changed + 1
  end
end
redis.call('HSET', base .. 'migrations', 'measures', ARGV[1])
return changed
