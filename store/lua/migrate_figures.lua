-- Rebuilds a community's figures (lua/figures.lua: the monthly sums and
-- the businesses' bits) from its pledges, a batch of pledge numbers per
-- call so Redis never stalls. The first batch (from = 1) drops what an
-- earlier, interrupted rebuild left. The ledger is the record and is kept:
-- a pledge that points into it (field lg) has its bits marked from its
-- entries; one from a release before the ledger has its history list
-- written into it (convert_old_log in lua/figures.lua). theme-slots is
-- kept too: compact ledger entries name their theme by its slot.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: months (the months holding figures)
-- KEYS[3]: seq:pledge (the pledge counter)
-- KEYS[4]: area-sums (how far the area sums count)
-- KEYS[5]: districts (the districts with area sums)
-- KEYS[6]: people (people's numbers, by which businesses' fields name them: folded_name)
-- KEYS[7]: day-sums (how far the day sums count)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, sums:*, bizbits:*, bizthemes:*, dbits:*, dsums:*, persons:*
--   day:*, daybits:*
-- ARGV[1]: first pledge number
-- ARGV[2]: how many
-- Returns: the next pledge number, or 0 when none is left.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
if from == 1 then
  local keys = {}
  for _, mo in ipairs(redis.call('ZRANGE', base .. 'months', 0, -1)) do
    for _, k in ipairs({'sums:', 'bizbits:', 'bizthemes:'}) do keys[#keys + 1] = base .. k .. mo end
  end
  -- (and the area sums, kept again as the pledges are reached)
  if area_upto() then
    for _, d in ipairs(redis.call('SMEMBERS', base .. 'districts')) do
      keys[#keys + 1] = base .. 'dbits:' .. d
      for _, mo in ipairs(redis.call('ZRANGE', base .. 'months', 0, -1)) do keys[#keys + 1] = base .. 'dsums:' .. d .. ':' .. mo end
    end
    keys[#keys + 1] = base .. 'districts'
    redis.call('SET', base .. 'area-sums', 0)
    area_upto_cache = 0
  end
  -- (and the day sums, dropped: the next rolling period fills them again)
  if day_upto() then
    for _, mo in ipairs(redis.call('ZRANGE', base .. 'months', 0, -1)) do
      local s, e = month_span(mo)
      for d = s, e - 1, 86400 do
        keys[#keys + 1] = base .. 'day:' .. day_of(d)
        keys[#keys + 1] = base .. 'daybits:' .. day_of(d)
      end
    end
    keys[#keys + 1] = base .. 'day-sums'
    day_upto_cache = false
  end
  for i = 1, #keys, 500 do redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys))) end
end
local last = tonumber(redis.call('GET', base .. 'seq:pledge') or '0')
local to = math.min(from + count - 1, last)
for n = from, to do
  local key = base .. 'pledge:' .. n
  area_admit(n)
  local p = redis.call('HMGET', key, 'business')
  if p[1] then
    if long_get(key, 'lg') then
      for _, ptr in ipairs(pledge_entries(n)) do
        local e = ptr[3]
        -- (as ledger_append marks them: not for a snooze, a confirmation or a query)
        if e and not not_business[e.kind] then mark_bits(e.biz, e.theme, e.at) end
      end
    else
      convert_old_log(n)
    end
  end
  if p[1] then
    figures_move({}, pledge_atoms(n))
  end
  -- A text longer than 64 bytes, written whole by an earlier release, made
  -- the hash a hashtable; rewritten in parts it is compact again (Redis
  -- never converts back by itself).
  local text = redis.call('HGET', key, 'text')
  if text and #text > 64 then
    local h = redis.call('HGETALL', key)
    local out = long_fields('text', text)
    for i = 1, #h, 2 do
      if h[i] ~= 'text' then out[#out + 1] = h[i]; out[#out + 1] = h[i + 1] end
    end
    redis.call('DEL', key)
    redis.call('HSET', key, unpack(out))
  end
end
if to >= last then return 0 end
return to + 1
