-- KEYS: the community's key base.
-- ARGV: actor, cfgadmin, req, pledge, event json, now, due score, then
-- field/value pairs to change (text, theme, target, unit, due, visibility,
-- factor, measure); factor '' or '1' and measure '' remove the field (the
-- defaults: same unit as the theme, a total).
-- Returns the pledge as pledge_out.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-edit'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status == 'withdrawn' then return fail('status', p.status) end
local key = base .. 'pledge:' .. n
local theme, target = p.theme, p.target
for i = 8, #ARGV, 2 do
  local f, v = ARGV[i], ARGV[i + 1]
  if (f == 'factor' and (v == '' or v == '1')) or (f == 'measure' and v == '') then
    redis.call('HDEL', key, f)
  else
    redis.call('HSET', key, f, v)
  end
  if f == 'theme' then theme = v end
  if f == 'target' then target = tonumber(v) end
  if f == 'due' and p.status == 'active' then
    if v == '' then redis.call('ZREM', base .. 'due', n) else redis.call('ZADD', base .. 'due', ARGV[7], n) end
  end
end
local totals = base .. 'totals'
if theme ~= p.theme or target ~= p.target then
  total_add('committed:' .. p.theme, -p.target)
  total_add('committed:' .. theme, target)
end
if theme ~= p.theme then
  total_add('delivered:' .. p.theme, -p.progress)
  total_add('delivered:' .. theme, p.progress)
  redis.call('HINCRBY', totals, 'pledges:' .. p.theme, -1)
  redis.call('HINCRBY', totals, 'pledges:' .. theme, 1)
end
-- Deleting the business must find every theme set the pledge put it in.
if theme ~= p.theme then
  local earlier = redis.call('HGET', key, 'earlier_themes')
  if not string.find(',' .. (earlier or '') .. ',', ',' .. p.theme .. ',', 1, true) then
    redis.call('HSET', key, 'earlier_themes', earlier and (earlier .. ',' .. p.theme) or p.theme)
  end
end
-- The digest's weekly changes follow the totals.
if theme ~= p.theme then
  activity('edited', n, p.business, p.theme, decimal(-p.target), ARGV[6])
  activity('edited', n, p.business, theme, decimal(target), ARGV[6])
  if p.progress ~= 0 then
    activity('moved', n, p.business, p.theme, decimal(-p.progress), ARGV[6])
    activity('moved', n, p.business, theme, decimal(p.progress), ARGV[6])
  end
elseif target ~= p.target then
  activity('edited', n, p.business, theme, decimal(target - p.target), ARGV[6])
end
-- Any edit, even of the text alone, is activity for "quiet for 4+ weeks".
redis.call('ZADD', base .. 'business-seen', ARGV[6], p.business)
redis.call('HSET', key, 'updated_at', ARGV[6])
stats_event(n, 'edit', ARGV[6], {theme = p.theme, target = p.target})
redis.call('RPUSH', key .. ':log', ARGV[5])
if p.status == 'active' then redis.call('ZADD', base .. 'updated', ARGV[6], n) end
audit(actor, 'pledge.edit', p.business, n, ARGV[5])
rate_sync(n)
remember(idem, n)
return pledge_out(n)
