-- Removes every key of a business and records that it was deleted, by whom
-- and when; the store then scrubs its entries from the audit trail
-- (audit_scrub.lua).
-- ARGV: actor, cfgadmin, req, business
-- Returns the people it forgot (see below).
local actor, cfg, idem, biz = ARGV[1], ARGV[2], idem_key(ARGV[3], 'business-delete'), ARGV[4]
if replayed(idem, biz) then return {} end
local bkey = base .. 'business:' .. biz
if redis.call('EXISTS', bkey) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then return fail('forbidden', 'owner ' .. biz) end
-- Pending counter lines would put the business back in sets it leaves here.
stats_fold()
local totals = base .. 'totals'
local name = redis.call('HGET', bkey, 'name') or ''
-- What the stats cleanup below needs: the business's scopes (read before
-- its hash goes), its pledges' themes, and the day and month buckets its
-- pledges touched.
local scopes, gone, themes, buckets, days, texts = stat_scopes(biz), {}, {}, {now = true}, {}, {}
local function touched(unix)
  if not unix then return end
  for _, b in ipairs(stat_buckets(unix)) do buckets[b] = true end
  days[stat_buckets(unix)[2]] = true
end
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':pledges')) do
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'status', 'theme', 'target', 'progress', 'business', 'earlier_themes')
  if p[5] and not p[1] then p[1] = 'active' end -- left out while active
  gone[n] = true
  texts[#texts + 1] = redis.call('HGET', base .. 'pledge:' .. n, 'text')
  if p[2] then
    for _, theme in ipairs(pledge_themes(p[2], p[6])) do themes[theme] = true end
  end
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
      total_add('committed:' .. p[2], -(tonumber(p[3]) or 0))
    end
    total_add('delivered:' .. p[2], -(tonumber(p[4]) or 0))
    redis.call('HINCRBY', totals, 'pledges:' .. p[2], -1)
    redis.call('HINCRBY', totals, 'status:' .. p[1], -1)
  end
  stats_event(n, 'delete')
  -- Its nudge and lapse decisions (pledge:N:once), found by name.
  notices_drop(n)
  redis.call('DEL', base .. 'pledge:' .. n, base .. 'pledge:' .. n .. ':log')
  redis.call('HDEL', base .. 'rates', n)
  redis.call('SREM', base .. 'lapse-untold', n)
  redis.call('ZREM', base .. 'due', n)
  redis.call('ZREM', base .. 'updated', n)
end
-- Its people whose only tie to the community was this business (no other
-- business, no community role) are forgotten below (forget_people), and the
-- store drops the audit entries naming them; the others keep what their
-- businesses and roles need.
local forgotten, forgotten_list = {}, {}
-- Members who left earlier (business:N:past) are its people too.
local people = redis.call('HKEYS', bkey .. ':members')
for _, who in ipairs(redis.call('SMEMBERS', bkey .. ':past')) do
  redis.call('SREM', base .. 'person:' .. who .. ':past', biz)
  people[#people + 1] = who
end
for i, who in ipairs(people) do
  redis.call('SREM', base .. 'person:' .. who, biz)
  if redis.call('EXISTS', base .. 'person:' .. who) == 0 and not forgotten[who] then
    local role = false
    for _, r in ipairs({'council', 'coordinator', 'admin'}) do
      role = role or redis.call('SISMEMBER', base .. 'role:' .. r, who) == 1
    end
    if not role then
      forgotten[who] = true
      forgotten_list[#forgotten_list + 1] = who
    end
  end
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
redis.call('HDEL', base .. 'business-names', redis.call('HGET', bkey, 'name_key') or string.lower(name))
-- A business registered before name skeletons also holds its skeleton,
-- added by Store.backfillNameKeys; free it when it is this business's.
local skel = redis.call('HGET', bkey, 'name_skel')
if skel and redis.call('HGET', base .. 'business-names', skel) == tostring(biz) then
  redis.call('HDEL', base .. 'business-names', skel)
end
redis.call('ZREM', base .. 'businesses', biz)
-- Texts that notices still waiting in the outbox may quote: its name,
-- pledge texts and decision titles (collected before their keys go).
local quoted = {}
local function quote(v) if v and #v >= 3 then quoted[#quoted + 1] = v end end
quote(name)
for _, t in ipairs(texts) do quote(t) end
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':s172')) do
  quote(redis.call('HGET', base .. 's172:' .. n, 'title'))
  quote(redis.call('HGET', base .. 's172:' .. n .. ':current', 'title'))
end
-- Its s172 decision records (s172_log.lua keeps the set).
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':s172')) do
  local dk = base .. 's172:' .. n
  redis.call('DEL', dk, dk .. ':current', dk .. ':amendments')
  redis.call('ZREM', base .. 's172s', n)
  redis.call('ZREM', base .. 's172:review', n)
end
redis.call('DEL', bkey, bkey .. ':members', bkey .. ':pledges', bkey .. ':s172', bkey .. ':past', bkey .. ':joined')
redis.call('ZREM', base .. 'business-seen', biz)
activity_scrub(biz)
-- Notices not sent yet (or given up on): nudges and lapse notices about
-- its pledges go; a digest that quotes it is re-queued with the quotes
-- replaced. Notices are Go JSON, which writes &, < and > as \u0026,
-- \u003c, \u003e.
local function json_forms(v)
  local j = string.gsub(v, '[\\"]', '\\%0')
  j = string.gsub(j, '[&<>]', function(ch) return string.format('\\u%04x', string.byte(ch)) end)
  return {v, j}
end
outbox_each(function(stream, key, e, f)
  local fields = {}
  local pn = string.match(f.key or '', '^nudge:(%d+):') or string.match(f.key or '', '^lapsed:(%d+):')
  local changed = pn and gone[pn]
  if not changed then
    for j = 1, #e[2], 2 do
      local v = e[2][j + 1]
      for _, q in ipairs(quoted) do
        for _, form in ipairs(json_forms(q)) do
          local r = replace_all(v, form, '(deleted)')
          if r ~= v then v, changed = r, true end
        end
      end
      fields[#fields + 1] = e[2][j]
      fields[#fields + 1] = v
    end
  end
  if changed then
    outbox_drop(stream, key, e[1])
    if not pn or not gone[pn] then redis.call('XADD', key, '*', unpack(fields)) end
  end
end)
-- Their request records go too: the deleter's record of this deletion is
-- written after, so a retry still answers.
forget_people(forgotten)
audit(actor, 'business.delete', biz, '', '')
remember(idem, biz)
return forgotten_list
