-- Fills in a community's day sums (day_upto in lua/figures.lua) from its
-- pledges, a batch of pledge numbers per call so Redis never stalls:
-- day-sums says how far they count, and a write to a pledge past it
-- leaves them alone, so a fill and the writes meanwhile never count a
-- pledge twice. Each pledge's ledger entries mark their days' business
-- bits (as ledger_append marks a month's); a write meanwhile marks its
-- own. The first call starts them (day-sums 0).
-- KEYS[1]: day-sums (how far the day sums count)
-- KEYS[2]: seq:pledge (the pledge counter)
-- KEYS[3]: theme-slots (themes' slots in the bitmaps)
-- KEYS[4]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, day:*, daybits:*, persons:*
-- ARGV[1]: how many pledges a call
-- Returns: 0 when every pledge counts, else 1 (call again).
local count = tonumber(ARGV[1])
if not day_upto() then
  redis.call('SET', base .. 'day-sums', 0)
  day_upto_cache = 0
end
local last = tonumber(redis.call('GET', base .. 'seq:pledge') or '0') or 0
local from = day_upto() + 1
for n = from, math.min(from + count - 1, last) do
  day_admit(n)
  day_move({}, pledge_atoms(n))
  for _, ptr in ipairs(pledge_entries(n)) do
    local e = ptr[3]
    if e and not not_business[e.kind] then day_bit(e.biz, e.at) end
  end
end
if day_upto() >= last then return 0 end
return 1
