-- Everything the weekly digest shows, in one round trip whose cost follows
-- the two weeks' events (range reads on time indexes), never the history.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: months (the months holding figures)
-- KEYS[3]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, sums:*, ledger:*, dsums:*, persons:*
-- ARGV[1]: previous week start (unix)
-- ARGV[2]: week end (unix, end exclusive)
-- ARGV[3]: overdue before (unix)
-- ARGV[4]: quiet before (unix)
-- ARGV[5]: list limit
-- Returns: {the weeks' activity entries with their scores (flat), overdue pledge numbers, how many are overdue,
--   quiet pledge numbers, how many are quiet, rows of the pledges named, business names (number,
--   name flat), every theme's running totals (KIND:THEME, value flat)} (store/schedules.go DigestData reads them).
local limit = tonumber(ARGV[5])
local events = activity_range(ARGV[1], ARGV[2])
-- (due and business-seen are kept in buckets: buckets_below merges them)
local overdue, overdue_count = buckets_below(bucket_keys('due', 'seq:pledge'), ARGV[3], limit)
local quiet, quiet_count = buckets_below(bucket_keys('business-seen', 'seq:business'), ARGV[4], limit)
-- pledge details for the events and overdue pledges, each once
local pledges, seen = {}, {}
local function pledge(n)
  if seen[n] then return end
  seen[n] = true
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'text', 'visibility', 'business', 'status', 'due', 'unit', 'theme', 'target', 'progress', 'factor')
  if p[3] and not p[4] then p[4] = 'active' end -- left out while active
  p[1] = long_get(base .. 'pledge:' .. n, 'text')
  pledges[#pledges + 1] = {n, p[1] or '', p[2] or '', p[3] or '', p[4] or '', p[5] or '', p[6] or '', p[7] or '', p[8] or '', p[9] or '', p[10] or ''}
end
for i = 1, #events, 2 do
  local n = events[i]:match('^[^|]*|[^|]*|([^|]*)')
  if n then pledge(n) end
end
for i, n in ipairs(overdue) do pledge(n) end
local names, bizs = {}, {}
for i, p in ipairs(pledges) do bizs[p[4]] = true end
for i, b in ipairs(quiet) do bizs[b] = true end
for b in pairs(bizs) do
  if b ~= '' then
    names[#names + 1] = b
    names[#names + 1] = redis.call('HGET', base .. 'business:' .. b, 'name') or ''
  end
end
-- The running totals of every theme now: committed (targets of the
-- pledges not withdrawn) and delivered, summed over the months, and of
-- delivered what is confirmed, awaiting confirmation and queried.
local totals, flat = {}, {}
for _, mo in ipairs(redis.call('ZRANGE', base .. 'months', 0, -1)) do
  local h = sums_read(mo)
  for k = 1, #h, 2 do
    local field, th = string.match(h[k], '^(%a+):(.*)$')
    local name = ({c = 'committed:', d = 'delivered:', dv = 'confirmed:', da = 'awaiting:', dq = 'queried:'})[field or '']
    if name then totals[name .. th] = (totals[name .. th] or 0) + (tonumber(h[k + 1]) or 0) end
  end
end
for k, v in pairs(totals) do
  flat[#flat + 1] = k
  flat[#flat + 1] = string.format('%.17g', v)
end
return {events, overdue, overdue_count, quiet, quiet_count, pledges, names, flat}
