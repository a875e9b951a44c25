-- Sums the period counters of a summary in one round trip.
-- ARGV: scope ('all' or 'area:CB1'), theme ('' for all), then three groups
-- (current, previous, after the current period up to now), each a count
-- followed by that many bucket names ('-' before a name subtracts it), then a count and the buckets whose
-- business sets make up the period (one month, quarter or year for
-- calendar periods: an exact SCARD; the days of last-Nd: a HyperLogLog
-- estimate, exact for small counts, within about 1% for large ones). Returns, per group, the summed
-- fields as a flat list and the number of distinct businesses, then the
-- stock counters of stats:SCOPE:now, the s172 counts (below), and the
-- rates index entries of the theme and area.
stats_fold()
local scope, theme = ARGV[1], ARGV[2]
local suffix = ':' .. theme
local function wanted(field)
  return theme == '' or string.sub(field, -#suffix) == suffix
end
local function bizkey(b)
  local k = base .. 'stats-biz:' .. scope .. ':' .. b
  if theme ~= '' then k = k .. suffix end
  return k
end
local out, i = {}, 3
for g = 1, 3 do
  local count = tonumber(ARGV[i])
  i = i + 1
  local sums, order = {}, {}
  for j = i, i + count - 1 do
    local b, sign = ARGV[j], 1
    if string.sub(b, 1, 1) == '-' then b, sign = string.sub(b, 2), -1 end
    local h = redis.call('HGETALL', base .. 'stats:' .. scope .. ':' .. b)
    for k = 1, #h, 2 do
      local f = h[k]
      if wanted(f) then
        if not sums[f] then sums[f] = 0; order[#order + 1] = f end
        sums[f] = sums[f] + sign * tonumber(h[k + 1])
      end
    end
  end
  i = i + count
  local nbiz = tonumber(ARGV[i])
  i = i + 1
  local biz = 0
  if nbiz == 1 then
    biz = redis.call('SCARD', bizkey(ARGV[i]))
  elseif nbiz > 1 then
    -- Several days: merge their HyperLogLogs (fixed cost per day).
    local keys = {}
    for j = i, i + nbiz - 1 do
      local k = base .. 'stats-bizhll:' .. scope .. ':' .. ARGV[j]
      if theme ~= '' then k = k .. suffix end
      keys[#keys + 1] = k
    end
    biz = redis.call('PFCOUNT', unpack(keys))
  end
  i = i + nbiz
  local flat = {}
  for _, f in ipairs(order) do
    flat[#flat + 1] = f
    flat[#flat + 1] = string.format('%.17g', sums[f])
  end
  out[g] = {flat, biz}
end
local now = {}
local h = redis.call('HGETALL', base .. 'stats:' .. scope .. ':now')
for k = 1, #h, 2 do
  if wanted(h[k]) then now[#now + 1] = h[k]; now[#now + 1] = h[k + 1] end
end
out[4] = now
-- s172 decision records dated in the current and previous periods (only
-- for the whole network: records carry no theme or area).
-- ARGV after the groups: current start, end, previous start, end (unix,
-- end exclusive).
if scope == 'all' and theme == '' then
  local z = base .. 's172s'
  out[5] = {redis.call('ZCOUNT', z, ARGV[i], '(' .. ARGV[i + 1]), redis.call('ZCOUNT', z, ARGV[i + 2], '(' .. ARGV[i + 3])}
else
  out[5] = {-1, -1}
end
-- Rate pledges (see rate_sync), filtered by theme and area: their median
-- and range are computed by the caller, never a sum.
local rates = {}
local r = redis.call('HGETALL', base .. 'rates')
for k = 1, #r, 2 do
  local th, biz = string.match(r[k + 1], '^([^|]*)|([^|]*)|')
  if th and (theme == '' or th == theme) then
    local inside = scope == 'all'
    if not inside then
      for _, sc in ipairs(stat_scopes(biz)) do
        if sc == scope then inside = true end
      end
    end
    if inside then rates[#rates + 1] = r[k + 1] end
  end
end
out[6] = rates
return out
