-- Sums the period counters of a summary in one round trip.
-- ARGV: scope ('all' or 'area:CB1'), theme ('' for all), then three groups
-- (current, previous, after the current period up to now), each a count
-- followed by that many bucket names. Returns, per group, the summed
-- fields as a flat list and the number of distinct businesses, then the
-- stock counters of stats:SCOPE:now.
local scope, theme = ARGV[1], ARGV[2]
local suffix = ':' .. theme
local function wanted(field)
  return theme == '' or string.sub(field, -#suffix) == suffix
end
local out, i = {}, 3
for g = 1, 3 do
  local count = tonumber(ARGV[i])
  i = i + 1
  local sums, order, bizkeys = {}, {}, {}
  for j = i, i + count - 1 do
    local key = base .. 'stats:' .. scope .. ':' .. ARGV[j]
    local h = redis.call('HGETALL', key)
    for k = 1, #h, 2 do
      local f = h[k]
      if wanted(f) then
        if not sums[f] then sums[f] = 0; order[#order + 1] = f end
        sums[f] = sums[f] + tonumber(h[k + 1])
      end
    end
    local bk = base .. 'stats-biz:' .. scope .. ':' .. ARGV[j]
    if theme ~= '' then bk = bk .. suffix end
    bizkeys[#bizkeys + 1] = bk
  end
  i = i + count
  local flat = {}
  for _, f in ipairs(order) do
    flat[#flat + 1] = f
    flat[#flat + 1] = string.format('%.17g', sums[f])
  end
  local biz = 0
  if #bizkeys > 0 then biz = #redis.call('SUNION', unpack(bizkeys)) end
  out[g] = {flat, biz}
end
local now = {}
local h = redis.call('HGETALL', base .. 'stats:' .. scope .. ':now')
for k = 1, #h, 2 do
  if wanted(h[k]) then now[#now + 1] = h[k]; now[#now + 1] = h[k + 1] end
end
out[4] = now
return out
