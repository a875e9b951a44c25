-- Fills in a community's area sums (area_upto in lua/figures.lua) from its
-- pledges, a batch of pledge numbers per call so Redis never stalls:
-- area-sums says how far they count, and a write to a pledge past it
-- leaves them alone, so a fill and the writes meanwhile never count a
-- pledge twice. The first call starts them (area-sums 0).
-- KEYS[1]: area-sums (how far the area sums count)
-- KEYS[2]: seq:pledge (the pledge counter)
-- KEYS[3]: districts (the districts with area sums)
-- KEYS[4]: theme-slots (themes' slots in the bitmaps)
-- KEYS[5]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, dsums:*, dbits:*, persons:*
-- ARGV[1]: how many pledges a call
-- Returns: 0 when every pledge counts, else 1 (call again).
local count = tonumber(ARGV[1])
if not area_upto() then
  redis.call('SET', base .. 'area-sums', 0)
  area_upto_cache = 0
end
local last = tonumber(redis.call('GET', base .. 'seq:pledge') or '0') or 0
local from = area_upto() + 1
for n = from, math.min(from + count - 1, last) do
  area_admit(n)
  district_move({}, pledge_atoms(n))
end
if area_upto() >= last then return 0 end
return 1
