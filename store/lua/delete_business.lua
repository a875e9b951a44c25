-- Removes every key of a business and scrubs it from the audit trail,
-- leaving one entry that it was deleted, by whom and when.
-- ARGV: actor, cfgadmin, req, business
local actor, cfg, idem, biz = ARGV[1], ARGV[2], idem_key(ARGV[3]), ARGV[4]
if idem and redis.call('EXISTS', idem) == 1 then return 'ok' end
local bkey = base .. 'business:' .. biz
if redis.call('EXISTS', bkey) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then return fail('forbidden', 'owner ' .. biz) end
local totals = base .. 'totals'
-- What the stats cleanup below needs: the business's scopes (read before
-- its hash goes), its pledges' themes, and the day and month buckets its
-- pledges touched.
local scopes, gone, themes, buckets, days = stat_scopes(biz), {}, {}, {now = true}, {}
local function touched(unix)
  if not unix then return end
  for _, b in ipairs(stat_buckets(unix)) do buckets[b] = true end
  days[stat_buckets(unix)[2]] = true
end
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':pledges')) do
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'status', 'theme', 'target', 'progress')
  gone[n] = true
  if p[2] then themes[p[2]] = true end
  local t = redis.call('HMGET', base .. 'pledge:' .. n, 'created_at', 'closed_at')
  touched(t[1])
  touched(t[2])
  for _, raw in ipairs(redis.call('LRANGE', base .. 'pledge:' .. n .. ':log', 0, -1)) do
    local ok, e = pcall(cjson.decode, raw)
    if ok and type(e) == 'table' and type(e.at) == 'string' then
      local y, m, d = string.match(e.at, '^(%d+)-(%d+)-(%d+)')
      if y then touched(os_time_utc(tonumber(y), tonumber(m), tonumber(d))) end
    end
  end
  if p[1] then
    if p[1] ~= 'withdrawn' then
      redis.call('HINCRBYFLOAT', totals, 'committed:' .. p[2], -(tonumber(p[3]) or 0))
    end
    redis.call('HINCRBYFLOAT', totals, 'delivered:' .. p[2], -(tonumber(p[4]) or 0))
    redis.call('HINCRBY', totals, 'pledges:' .. p[2], -1)
    redis.call('HINCRBY', totals, 'status:' .. p[1], -1)
  end
  stats_event(n, 'delete')
  redis.call('DEL', base .. 'pledge:' .. n, base .. 'pledge:' .. n .. ':log')
  redis.call('ZREM', base .. 'due', n)
  redis.call('ZREM', base .. 'updated', n)
end
for i, who in ipairs(redis.call('HKEYS', bkey .. ':members')) do
  redis.call('SREM', base .. 'person:' .. who, biz)
end
-- Taking the pledges out of the counters leaves zero fields that would
-- still name the business's area and themes (stats:area:CB2:…): drop them,
-- so counters only this business fed disappear (the same for totals).
local function drop_zeros(k)
  local h = redis.call('HGETALL', k)
  for j = 1, #h, 2 do
    local v = tonumber(h[j + 1])
    if v and math.abs(v) < 1e-9 then redis.call('HDEL', k, h[j]) end
  end
end
drop_zeros(totals)
for _, sc in ipairs(scopes) do
  for b in pairs(buckets) do drop_zeros(base .. 'stats:' .. sc .. ':' .. b) end
end
-- Daily HyperLogLogs cannot forget one member; where no other business
-- shares a scope (its own postcode area, or 'all' when it was the only
-- business), the business's days of that scope are dropped whole.
local shared = {}
for _, other in ipairs(redis.call('ZRANGE', base .. 'businesses', 0, -1)) do
  if other ~= biz then
    for _, sc in ipairs(stat_scopes(other)) do shared[sc] = true end
  end
end
-- In a shared scope, a day (or a day's theme) whose counters no longer
-- hold any field had no activity but this business's: drop that one too.
for _, sc in ipairs(scopes) do
  for d in pairs(days) do
    local h = base .. 'stats-bizhll:' .. sc .. ':' .. d
    local left = {}
    if shared[sc] then
      for _, f in ipairs(redis.call('HKEYS', base .. 'stats:' .. sc .. ':' .. d)) do
        left[string.match(f, ':(.*)$') or ''] = true
        left[''] = true
      end
    end
    if not left[''] then redis.call('DEL', h) end
    for theme in pairs(themes) do
      if not left[theme] then redis.call('DEL', h .. ':' .. theme) end
    end
  end
end
-- Nudge decisions about its pledges (once:nudge:N:KIND:WHEN, kept 60 days
-- by the scheduler) name deleted pledges; their WHEN varies (due dates,
-- update times, weeks), so find them by pattern. This walks the key space
-- once per deletion, which is rare.
local cursor = '0'
repeat
  local r = redis.call('SCAN', cursor, 'MATCH', base .. 'once:nudge:*', 'COUNT', 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    local n = string.match(string.sub(k, #base + 1), '^once:nudge:(%d+):')
    if n and gone[n] then redis.call('DEL', k) end
  end
until cursor == '0'
local name = redis.call('HGET', bkey, 'name') or ''
redis.call('HDEL', base .. 'business-names', string.lower(name))
redis.call('ZREM', base .. 'businesses', biz)
-- Its s172 decision records (s172_log.lua keeps the set).
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':s172')) do
  local dk = base .. 's172:' .. n
  redis.call('DEL', dk, dk .. ':current', dk .. ':amendments')
  redis.call('ZREM', base .. 's172s', n)
  redis.call('ZREM', base .. 's172:review', n)
end
redis.call('DEL', bkey, bkey .. ':members', bkey .. ':pledges', bkey .. ':s172')
redis.call('ZREM', base .. 'business-seen', biz)
for i, m in ipairs(redis.call('ZRANGE', base .. 'activity', 0, -1)) do
  if m:match('^[^|]*|[^|]*|[^|]*|([^|]*)') == biz then redis.call('ZREM', base .. 'activity', m) end
end
scrub_audit(function(f) return f.business == biz end)
audit(actor, 'business.delete', biz, '', '')
remember(idem, 'ok')
return 'ok'
