-- Reads what a summary needs in one round trip (see lua/figures.lua for
-- the atoms and how store/summary.go turns them into a period's figures).
-- KEYS: the community's key base.
-- ARGV: theme ('' for all), area ('' for the network, else 'CB' or 'CB1'),
-- then three times t1 <= t2 <= t3 (unix): the previous period is [t1, t2),
-- the current [t2, t3).
-- Returns {C(t1), C(t2), C(t3), {businesses in the previous period, in the
-- current}, {s172 records dated in the current period, the previous}, rate
-- entries}, where C(t) is the flat list FIELD:THEME, sum of every atom
-- dated before t. For the network, C(t) adds the months before t's month
-- (sums:*) and, when t is not a month's start, the atoms before t of the
-- pledges its month's ledger names; for an area, the atoms of the area's
-- pledges.
local theme, area = ARGV[1], ARGV[2]
local times = {tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])}
local scope = 'all'
if area ~= '' then scope = 'area:' .. area end

local function add(sums, field, v)
  if theme ~= '' and string.sub(field, -#theme - 1) ~= ':' .. theme then return end
  sums[field] = (sums[field] or 0) + v
end

local function flat(sums)
  local out = {}
  for f, v in pairs(sums) do
    out[#out + 1] = f
    out[#out + 1] = string.format('%.17g', v)
  end
  return out
end

-- The area's businesses (a set) and pledges; nil, nil for the network.
local function area_of()
  if area == '' then return nil, nil end
  local bizs, pledges = {}, {}
  for _, biz in ipairs(redis.call('ZRANGE', base .. 'businesses', 0, -1)) do
    for _, sc in ipairs(area_scopes(biz)) do
      if sc == scope then
        bizs[biz] = true
        for _, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
          pledges[#pledges + 1] = n
        end
      end
    end
  end
  return bizs, pledges
end
local bizset, pledges = area_of()

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
  local cache = {}
  local function month_sums(mo)
    if not cache[mo] then cache[mo] = redis.call('HGETALL', base .. 'sums:' .. mo) end
    return cache[mo]
  end
  for i, t in ipairs(times) do
    local sums = {}
    local mo, score = month_of(t)
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', base .. 'months', '-inf', '(' .. score)) do
      local h = month_sums(m)
      for k = 1, #h, 2 do add(sums, h[k], tonumber(h[k + 1]) or 0) end
    end
    local start = month_span(mo)
    if t > start then
      local seen = {}
      for _, e in ipairs(ledger_entries(mo)) do
        if not seen[e.n] then
          seen[e.n] = true
          for _, a in ipairs(pledge_atoms(e.n)) do
            if a[1] >= start and a[1] < t then add(sums, a[2] .. ':' .. a[3], a[4]) end
          end
        end
      end
    end
    out[i] = flat(sums)
  end
end

-- businesses counts the businesses that wrote in [from, to) (of the theme,
-- in the area): whole months from their bits, the rest from the ledger.
local function businesses(from, to)
  local slot = 0
  if theme ~= '' then slot = theme_slot(theme, false) end
  if slot < 0 then return 0 end
  local seen, count = {}, 0
  local function consider(biz)
    if not seen[biz] and (not bizset or bizset[biz]) then
      seen[biz] = true
      count = count + 1
    end
  end
  for _, mo in ipairs(months_between(from, to)) do
    local s, e = month_span(mo)
    if s >= from and e <= to and (theme == '' or slot > 0) then
      if theme == '' then
        local bits = redis.call('GET', base .. 'bizbits:' .. mo) or ''
        for i = 1, #bits do
          local b = string.byte(bits, i)
          if b > 0 then
            for k = 0, 7 do
              if bit_set(b, k) then consider(tostring((i - 1) * 8 + k)) end
            end
          end
        end
      else
        local bits = redis.call('GET', base .. 'bizthemes:' .. mo) or ''
        local byte, k = math.floor(slot / 8) + 1, slot % 8
        for biz = 0, math.floor((#bits - 1) / 8) do
          local b = string.byte(bits, biz * 8 + byte)
          if b and b > 0 and bit_set(b, k) then consider(tostring(biz)) end
        end
      end
    else
      for _, en in ipairs(ledger_entries(mo)) do
        if en.at >= from and en.at < to and (theme == '' or en.theme == theme) then consider(en.biz) end
      end
    end
  end
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
-- Rate pledges (see rate_sync), filtered by theme and area: their median
-- and range are computed by the caller, never a sum.
local rates = {}
local r = redis.call('HGETALL', base .. 'rates')
for k = 1, #r, 2 do
  local th, biz = string.match(r[k + 1], '^([^|]*)|([^|]*)|')
  if th and (theme == '' or th == theme) and (not bizset or bizset[biz]) then rates[#rates + 1] = r[k + 1] end
end
out[6] = rates
return out
