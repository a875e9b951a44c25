-- Reads what a summary needs (see lua/figures.lua for the atoms and how
-- store/summary.go turns them into a period's figures).
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: seq:business (the business counter)
-- KEYS[3]: months (the months holding figures)
-- KEYS[4]: tmp:businesses (scratch bitmap of a period's businesses)
-- KEYS[5]: s172s (decisions by date)
-- KEYS[6]: area-sums (how far the area sums count)
-- KEYS[7]: districts (the districts with area sums)
-- KEYS[8]: seq:pledge (the pledge counter)
-- KEYS[9]: tmp:area (scratch bitmap of an area's businesses)
-- KEYS[10]: tmp:month (scratch bitmap of a month's businesses)
-- KEYS[11]: people (people's numbers, by which businesses' fields name them: folded_name)
-- KEYS[12]: day-sums (how far the day sums count)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, sums:*, dbits:*, dsums:*, persons:*, day:*, daybits:*
-- ARGV[1]: theme ('' for all)
-- ARGV[2]: area ('' for the network, else 'CB' or 'CB1')
-- ARGV[3]: t1 (unix; t1 <= t2 <= t3: the previous period is [t1, t2), the current [t2, t3))
-- ARGV[4]: t2 (unix)
-- ARGV[5]: t3 (unix)
-- ARGV[6]: for an area, the first business number to read
-- ARGV[7]: for an area, how many business numbers to read
-- ARGV[8]: from how many pledges a community keeps area and day sums
-- Returns: {C(t1), C(t2), C(t3), {businesses in the previous period, in the
-- current}, {s172 records dated in the current period, the previous},
-- next business number or -1, 1 when the area sums should be filled in
-- first (lua/area_sums.lua) else 0, 1 when the day sums should be filled
-- in first (lua/day_sums.lua) else 0}, where C(t) is the flat list
-- FIELD:THEME, sum of every atom dated before t (a rate theme's figures
-- too: its pledges' values are atoms, rate_kind in lua/figures.lua).
-- For the network, C(t) adds the months before t's month (sums:*) and,
-- when t falls inside a month, the atoms of that month on t's side (or
-- takes those on the other side from the month's sums, whichever part is
-- shorter), found through the pledges the ledger names there: an atom is
-- dated when its pledge wrote (lua/figures.lua). Its cost follows the
-- months and themes, plus those pledges for a rolling period; in a
-- community that keeps day sums, a t at the start of a day adds those
-- days' sums instead, and a period's businesses those days' bits.
-- For an area of a community that keeps area sums (see area_upto in
-- lua/figures.lua), the same from the sums of its districts, the edges'
-- pledges those of its businesses. Else one call reads a batch of the
-- businesses (the caller loops, so Redis never stalls) and sums their
-- pledges' atoms.
local theme, area = ARGV[1], ARGV[2]
-- (it writes no pledge: each business's rate pledges are read once, rate_members)
rate_memo = {}
local times = {tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])}

-- fast: an area read from its districts' sums; ds those districts, and
-- tmp:area the bits of their businesses.
local fast, ds, fill = false, {}, 0
local areabits = base .. 'tmp:area'
if area ~= '' then
  local upto = area_upto()
  local last = tonumber(redis.call('GET', base .. 'seq:pledge') or '0') or 0
  fast = upto and upto >= last
  if fast then
    local keys = {}
    for _, d in ipairs(redis.call('SMEMBERS', base .. 'districts')) do
      if d == area or string.match(d, '^(%a+)') == area then
        ds[#ds + 1] = d
        keys[#keys + 1] = base .. 'dbits:' .. d
      end
    end
    if #keys > 0 then redis.call('BITOP', 'OR', areabits, unpack(keys)) end
  elseif last >= (tonumber(ARGV[8]) or math.huge) then
    fill = 1
  end
end

-- daily: the network's day sums count every pledge; dfill: they should
-- be filled in first (a large community's rolling period).
local daily, dfill = false, 0
if area == '' then
  local upto = day_upto()
  local last = tonumber(redis.call('GET', base .. 'seq:pledge') or '0') or 0
  daily = upto and upto >= last
  if not daily and last >= (tonumber(ARGV[8]) or math.huge) then
    for _, t in ipairs(times) do
      if t > month_span(month_of(t)) then dfill = 1 end
    end
  end
end

-- on_day reports whether t starts a UTC day the day sums can split at.
local function on_day(t)
  return daily and t % 86400 == 0
end

-- member reports whether business b counts in the area of a fast read.
local function member(b)
  return redis.call('GETBIT', areabits, tonumber(b) or 0) == 1
end

local function add(sums, field, v)
  if theme ~= '' and string.sub(field, -#theme - 1) ~= ':' .. theme then return end
  sums[field] = (sums[field] or 0) + v
end

-- add_days adds (sign) to sums the day sums of the days in [from, to).
local function add_days(sums, from, to, sign)
  for d = from, to - 1, 86400 do
    local h = sums_read(day_of(d), nil, 'day:')
    for k = 1, #h, 2 do add(sums, h[k], sign * (tonumber(h[k + 1]) or 0)) end
  end
end

local function flat(sums)
  local out = {}
  for f, v in pairs(sums) do
    out[#out + 1] = f
    out[#out + 1] = string.format('%.17g', v)
  end
  return out
end

-- The batch's businesses in the area (a set) and their pledges.
local bizset, pledges, next_index = nil, {}, -1
if area ~= '' and not fast then
  bizset = {}
  -- Businesses are numbered 1..seq:business, and a deleted one's hash is
  -- gone (area_scopes finds no postcode): they need no index of all.
  local from, count = tonumber(ARGV[6]), tonumber(ARGV[7])
  if from + count <= tonumber(redis.call('GET', base .. 'seq:business') or '0') then next_index = from + count end
  for biz = from, from + count - 1 do
    for _, sc in ipairs(area_scopes(biz)) do
      if sc == 'area:' .. area then
        bizset[tostring(biz)] = true
        for _, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
          pledges[#pledges + 1] = n
        end
      end
    end
  end
end

-- window_entries lists the entries of month mo's ledger dated in
-- [from, to) as {pledge, business, theme}: the edges read only these, so
-- each month's list is read and dated once a call (the windows of a
-- rolling period and of its businesses overlap) and no entry is parsed
-- whole (parse_entry decodes its note).
local month_ats = {}
local function window_entries(mo, from, to)
  local raws = ledger_raw[mo]
  if not raws then
    raws = redis.call('LRANGE', base .. 'ledger:' .. mo, 0, -1)
    ledger_raw[mo] = raws
    month_ats[mo] = nil
  end
  local ats = month_ats[mo]
  if not ats then
    ats = {}
    for i, raw in ipairs(raws) do ats[i] = entry_at(raw, mo) end
    month_ats[mo] = ats
  end
  local out = {}
  for i, raw in ipairs(raws) do
    local at = ats[i]
    if at >= from and at < to and raw ~= '' then
      local n, biz, th = string.match(raw, '^[^|]*|[^|]*|([^|]*)|([^|]*)|([^|]*)|')
      if n then
        if string.sub(th, 1, 1) == '#' then th = slot_theme(th) end
        -- (a compact entry leaves out its pledge's own business)
        if biz == '' then biz = pledge_business(n) end
        out[#out + 1] = {n = n, biz = biz, theme = th}
      end
    end
  end
  return out
end

-- window_atoms adds (sign) to sums the atoms dated in [from, to) of the
-- pledges the month's ledger names in that window, and of the first of
-- each one's business's pledges in its rate theme, which carries the
-- business's rate figures there (rate_members in lua/figures.lua).
local function window_atoms(sums, mo, from, to, sign)
  local seen = {}
  local function take(n)
    if seen[n] then return end
    seen[n] = true
    for _, a in ipairs(pledge_atoms(n)) do
      if a[1] >= from and a[1] < to then add(sums, a[2] .. ':' .. a[3], sign * a[4]) end
    end
  end
  for _, e in ipairs(window_entries(mo, from, to)) do
    local n = tonumber(e.n)
    if n and not seen[n] and (not fast or member(e.biz)) then
      take(n)
      local f = redis.call('HMGET', base .. 'pledge:' .. n, 'theme', 'measure')
      local first = f[2] == 'rate' and e.biz and rate_members(e.biz, f[1])[1]
      if first then take(first) end
    end
  end
end

-- add_month adds month mo's sums (of the area's districts, for fast).
local function add_month(sums, mo)
  if not fast then
    local h = sums_read(mo)
    for k = 1, #h, 2 do add(sums, h[k], tonumber(h[k + 1]) or 0) end
    return
  end
  for _, d in ipairs(ds) do
    local h = sums_read(mo, d)
    for k = 1, #h, 2 do add(sums, h[k], tonumber(h[k + 1]) or 0) end
  end
end

local out = {}
if bizset then
  local sums = {{}, {}, {}}
  for _, n in ipairs(pledges) do
    for _, a in ipairs(pledge_atoms(n)) do
      for i, t in ipairs(times) do
        if a[1] < t then add(sums[i], a[2] .. ':' .. a[3], a[4]) end
      end
    end
  end
  for i = 1, 3 do out[i] = flat(sums[i]) end
else
  local months = redis.call('ZRANGEBYSCORE', base .. 'months', '-inf', select(2, month_of(times[3])))
  local running, m = {}, 1
  for i, t in ipairs(times) do
    local mo, score = month_of(t)
    -- the months before t's, added once for all three times
    while months[m] and months[m] < mo do
      add_month(running, months[m])
      m = m + 1
    end
    local sums = {}
    for f, v in pairs(running) do sums[f] = v end
    local start, finish = month_span(mo)
    if t > start then
      if t - start <= finish - t then
        if on_day(t) then add_days(sums, start, t, 1) else window_atoms(sums, mo, start, t, 1) end
      else
        add_month(sums, mo)
        if on_day(t) then add_days(sums, t, finish, -1) else window_atoms(sums, mo, t, finish, -1) end
      end
    end
    out[i] = flat(sums)
  end
end

-- businesses counts the businesses that wrote in [from, to) (about the
-- theme; in the batch's area): whole months from their bits (fields '~',
-- or '~SLOT' for a theme, of the month's sums, copied to a key each to be
-- OR-ed and counted by Redis), the parts of months (but whole days of a
-- community keeping day sums, from their bits), and a theme without a
-- slot, from the ledger.
local tmp, tmp_month = base .. 'tmp:businesses', base .. 'tmp:month'
local function businesses(from, to)
  local slot = 0
  if theme ~= '' then
    slot = theme_slot(theme, false)
    if not slot then return 0 end
  end
  local whole, parts = {}, {}
  for _, mo in ipairs(months_between(from, to)) do
    local s, e = month_span(mo)
    if s >= from and e <= to and slot >= 0 then whole[#whole + 1] = mo else parts[#parts + 1] = mo end
  end
  local seen, count = {}, 0
  local function consider(b)
    if not seen[b] and (not bizset or bizset[tostring(b)]) and (not fast or member(b)) then
      seen[b] = true
      count = count + 1
    end
  end
  local in_bits = false -- whether count holds the BITCOUNT of tmp
  local any = #whole > 0 -- whether tmp holds bits to count
  if #whole > 0 then
    local field, first = theme == '' and '~' or ('~' .. slot), true
    redis.call('DEL', tmp)
    for _, mo in ipairs(whole) do
      local v = redis.call('HGET', base .. 'sums:' .. mo, field)
      if v and first then
        redis.call('SET', tmp, v)
        first = false
      elseif v then
        redis.call('SET', tmp_month, v)
        redis.call('BITOP', 'OR', tmp, tmp, tmp_month)
      end
    end
    redis.call('DEL', tmp_month)
  end
  -- (with day sums, the parts' days from their bits too)
  if theme == '' and on_day(from) and on_day(to) and #parts > 0 then
    local keys = {tmp}
    for _, mo in ipairs(parts) do
      local s, e = month_span(mo)
      for d = math.max(s, from), math.min(e, to) - 1, 86400 do keys[#keys + 1] = base .. 'daybits:' .. day_of(d) end
    end
    redis.call('BITOP', 'OR', tmp, unpack(keys))
    parts, any = {}, true
  end
  if any then
    if fast then
      redis.call('BITOP', 'AND', tmp, tmp, areabits)
      count, in_bits = redis.call('BITCOUNT', tmp), true
    elseif bizset then
      for biz in pairs(bizset) do
        if redis.call('GETBIT', tmp, biz) == 1 then consider(tonumber(biz)) end
      end
    else
      count, in_bits = redis.call('BITCOUNT', tmp), true
    end
  end
  for _, mo in ipairs(parts) do
    for _, e in ipairs(window_entries(mo, from, to)) do
      local b = tonumber(e.biz)
      if b and (theme == '' or e.theme == theme) then
        -- (one the BITCOUNT counted already is seen, not counted again)
        if in_bits and not seen[b] and redis.call('GETBIT', tmp, b) == 1 then seen[b] = true end
        consider(b)
      end
    end
  end
  redis.call('DEL', tmp)
  return count
end
out[4] = {businesses(times[1], times[2]), businesses(times[2], times[3])}

-- s172 decision records dated in the current and previous periods (only
-- for the whole network: records carry no theme or area).
if area == '' and theme == '' then
  local z = base .. 's172s'
  out[5] = {redis.call('ZCOUNT', z, times[2], '(' .. times[3]), redis.call('ZCOUNT', z, times[1], '(' .. times[2])}
else
  out[5] = {-1, -1}
end
if fast then redis.call('DEL', areabits) end
out[6] = next_index
out[7] = fill
out[8] = dfill
return out
