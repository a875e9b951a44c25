-- Shared by every script. KEYS[1] is the community's key base, e.g.
-- "pb:{c42}:"; every key a script touches starts with it, so all of them
-- hash to one cluster slot.
local base = KEYS[1]

local function fail(code, detail)
  return redis.error_reply('PB ' .. code .. ' ' .. (detail or ''))
end

local function is_admin(actor, cfg)
  return cfg == '1' or redis.call('SISMEMBER', base .. 'role:admin', actor) == 1
end

local function biz_role(biz, actor)
  return redis.call('HGET', base .. 'business:' .. biz .. ':members', actor)
end

-- Replays of one request id return the first result instead of acting twice.
-- A person's request records live in one hash per UTC day of the server's
-- clock (TIME: real time, whatever clock the caller dates its writes by),
-- idem:ACTOR:DAY (DAY = unix days; ACTOR is ARGV[1] in every script),
-- field OP:REQ -> the first result, REQ being the 16-character digest Go
-- makes of the platform's id (store/pledge.go reqKey). The field names the
-- operation and the hash the person, so an id can never answer for another
-- command or person; scripts that act on a numbered record store that
-- number and replay only when it matches. A replay looks in today's and
-- yesterday's hash; a day's hash expires at the end of the next day, when
-- no replay looks at it any more, so a record lives 24 to 48 hours. One
-- hash a person a day costs one key and its expiry instead of one per
-- request, and erasure deletes a person's records by name
-- (erase_person.lua). Values never name a person (set_member.lua stores a
-- digest).
local function idem_key(req, op)
  if req == '' then return nil end
  local day = math.floor(tonumber(redis.call('TIME')[1]) / 86400)
  return {base .. 'idem:' .. ARGV[1] .. ':', day, op .. ':' .. req}
end

-- idem_result is the first result of the request, or false.
local function idem_result(idem)
  if not idem then return false end
  return redis.call('HGET', idem[1] .. idem[2], idem[3]) or redis.call('HGET', idem[1] .. (idem[2] - 1), idem[3])
end

local function replayed(idem, n)
  return idem and idem_result(idem) == tostring(n)
end

local function remember(idem, value)
  if not idem then return end
  local key = idem[1] .. idem[2]
  redis.call('HSET', key, idem[3], value)
  redis.call('EXPIREAT', key, (idem[2] + 2) * 86400)
end

-- pledge_out is a script's answer about pledge n: {n, HGETALL, business
-- name}. A script that has just written every field, or already read the
-- business's name, passes them to save the reads.
local function pledge_out(n, h, name)
  local key = base .. 'pledge:' .. n
  if not h then h = redis.call('HGETALL', key) end
  if not name then
    name = ''
    local biz
    for i = 1, #h, 2 do
      if h[i] == 'business' then biz = h[i + 1] break end
    end
    if biz then name = redis.call('HGET', base .. 'business:' .. biz, 'name') or '' end
  end
  return {tostring(n), h, name}
end

-- Loads a pledge the actor may change; returns fields or an error reply.
local function changeable(n, actor, cfg)
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'business', 'status', 'theme', 'target', 'progress', 'measure', 'factor')
  if not p[1] then return nil, fail('notfound', 'pledge ' .. n) end
  if not is_admin(actor, cfg) and not biz_role(p[1], actor) then
    return nil, fail('forbidden', 'pledge ' .. n)
  end
  return {business = p[1], status = p[2] or 'active', theme = p[3], target = tonumber(p[4]) or 0,
    progress = tonumber(p[5]) or 0, rate = p[6] == 'rate', factor = tonumber(p[7]) or 1}, nil
end


-- Running counters per period and area, so a summary reads O(themes)
-- fields however many pledges there are. For every scope (the network,
-- "all", plus the postcode district "area:CB1" and area "area:CB" of the
-- pledge's business) and every bucket (the UTC month "m2026-11" and day
-- "d2026-11-24" of the event) the hash stats:SCOPE:BUCKET holds
-- made/committed/delivered/done/lapsed/withdrawn:THEME, stats:SCOPE:now
-- holds active:THEME, and the sets stats-biz:SCOPE:BUCKET[:THEME] hold the
-- businesses that made, updated or closed a pledge in the bucket (months,
-- quarters q2026-Q4 and years y2026; days use HyperLogLogs, below).
-- Made and committed belong to the bucket the pledge was created in;
-- delivered and closings to the bucket they happened in. An edit of theme
-- or target rewrites them in their own buckets.

-- civil turns unix seconds into a UTC year, month and day (Howard
-- Hinnant's days-to-civil algorithm; Lua in Redis has no os.date).
local function civil(unix)
  local z = math.floor(unix / 86400) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp + 3
  if mp >= 10 then m = mp - 9 end
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

-- os_time_utc is the inverse of civil: unix seconds at 00:00 UTC.
local function os_time_utc(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return (era * 146097 + doe - 719468) * 86400
end

-- unix_of reads the UTC time of an RFC 3339 string ("2026-11-24T10:00:00Z",
-- as history entries carry) as unix seconds; 0 when it is not one.
local function unix_of(at)
  local y, mo, d, h, mi, s = string.match(at or '', '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  if not y then return 0 end
  return os_time_utc(tonumber(y), tonumber(mo), tonumber(d)) + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s)
end

local function stat_buckets(unix)
  local y, m, d = civil(tonumber(unix) or 0)
  return {string.format('m%04d-%02d', y, m), string.format('d%04d-%02d-%02d', y, m, d)}
end

-- stat_scopes lists the counter scopes of a business; pass its postcode
-- when already read.
local function stat_scopes(biz, pc)
  local scopes = {'all'}
  if pc == nil then pc = redis.call('HGET', base .. 'business:' .. biz, 'postcode') end
  if pc and pc ~= '' then
    local district = string.match(pc, '^(%S+)')
    local area = string.match(pc, '^(%a+)')
    if district then scopes[#scopes + 1] = 'area:' .. district end
    if area and area ~= district then scopes[#scopes + 1] = 'area:' .. area end
  end
  return scopes
end

-- decimal writes an amount (a number, or a sum of them) for HINCRBYFLOAT
-- with 14 significant digits, as Lua prints numbers. Passed as a number it
-- would go over as %.17g (12.8 as 12.800000000000001), and adding 12.8
-- then taking 12.800000000000001 away would leave -0.000000000000001.
local function decimal(x)
  return string.format('%.14g', tonumber(x) or 0)
end

-- total_add adds an amount to one field of the totals hash.
local function total_add(field, by)
  redis.call('HINCRBYFLOAT', base .. 'totals', field, decimal(by))
end

-- stat_add_in adds by to FIELD:THEME in every scope's given buckets.
local function stat_add_in(scopes, buckets, field, theme, by)
  if by == 0 then return end
  by = decimal(by)
  for _, b in ipairs(buckets) do
    for _, sc in ipairs(scopes) do
      redis.call('HINCRBYFLOAT', base .. 'stats:' .. sc .. ':' .. b, field .. ':' .. theme, by)
    end
  end
end

-- stat_add adds by to FIELD:THEME in every scope's buckets of time unix.
local function stat_add(scopes, unix, field, theme, by)
  stat_add_in(scopes, stat_buckets(unix), field, theme, by)
end

-- progress_entries lists pledge n's progress entries as they stand, each
-- {at = RFC 3339 time, by = actor, amount = after corrections}, oldest
-- first; lua/correct.lua numbers them the same way.
local function progress_entries(n)
  local entries = {}
  for _, raw in ipairs(redis.call('LRANGE', base .. 'pledge:' .. n .. ':log', 0, -1)) do
    local ok, e = pcall(cjson.decode, raw)
    if ok and type(e) == 'table' then
      if e.kind == 'progress' and type(e.at) == 'string' then
        entries[#entries + 1] = {at = e.at, by = e.by, amount = tonumber(e.amount) or 0}
      elseif e.kind == 'corrected' and entries[tonumber(e.entry) or 0] then
        entries[tonumber(e.entry)].amount = tonumber(e.amount) or 0
      end
    end
  end
  return entries
end

-- stat_move_delivered moves what pledge n's progress entries added to
-- delivered, from one theme to another (nil: takes it away) in the
-- buckets each was logged in, so a theme change or a deletion rewrites
-- history exactly instead of leaving negative months. It applies the
-- corrections, whose differences lua/correct.lua put in those buckets. A
-- rate pledge added the difference from the value before.
local function stat_move_delivered(scopes, n, from, to)
  local rate = redis.call('HGET', base .. 'pledge:' .. n, 'measure') == 'rate'
  local last = 0
  for _, e in ipairs(progress_entries(n)) do
    local amount = e.amount
    if rate then
      if amount == 0 then amount = 0 else amount, last = amount - last, amount end
    end
    if amount ~= 0 then
      local bs = {'m' .. string.sub(e.at, 1, 7), 'd' .. string.sub(e.at, 1, 10)}
      stat_add_in(scopes, bs, 'delivered', from, -amount)
      if to then stat_add_in(scopes, bs, 'delivered', to, amount) end
    end
  end
end

-- Rate pledges (field measure = rate: a share the business reports about
-- itself, whose progress is the latest value, never a sum) are indexed in
-- the hash "rates", pledge -> "theme|business|target|created|closed|
-- T:V,T:V" (closed empty while active; the values reported, at unix times
-- T, corrections applied and struck ones left out), unless withdrawn:
-- summaries read rate themes' figures for any period from it in one
-- HGETALL, as of the period's end, whatever the number of other pledges.
-- rate_sync brings a pledge's entry in step after any write to it.
local function rate_sync(n)
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'measure', 'status', 'theme', 'business', 'target',
    'created_at', 'closed_at')
  local status = p[2] or 'active'
  if p[1] ~= 'rate' or not p[4] or status == 'withdrawn' then
    redis.call('HDEL', base .. 'rates', n)
    return
  end
  local values = {}
  for _, e in ipairs(progress_entries(n)) do
    if e.amount ~= 0 then values[#values + 1] = unix_of(e.at) .. ':' .. decimal(e.amount) end
  end
  local closed = ''
  if status ~= 'active' then closed = p[7] or '' end
  redis.call('HSET', base .. 'rates', n, table.concat({p[3], p[4], p[5] or '0', p[6] or '0', closed,
    table.concat(values, ',')}, '|'))
end


local function stat_active(scopes, theme, by)
  for _, sc in ipairs(scopes) do
    redis.call('HINCRBY', base .. 'stats:' .. sc .. ':now', 'active:' .. theme, by)
  end
end

-- Business sets are kept per day, month, quarter and year, so a calendar
-- period counts its businesses with one SCARD instead of a union.
-- Days keep HyperLogLogs instead (stats-bizhll:SCOPE:dDATE[:THEME]): a
-- rolling last-Nd period merges N of them at a fixed cost, where a union
-- of sets would grow with the activity in the window.
--
-- Every write lands here, so it skips what cannot change. A business
-- joins the sets of a month, its quarter and its year, each with and
-- without the theme, always together, and leaves them only when the
-- business itself is deleted (its number is never reused). So when SADD
-- to the month's theme set finds it already there, it is in all six; when
-- only the month's plain set has it, the plain quarter and year do too.
-- Likewise a day's plain HyperLogLog has had every element its theme
-- HyperLogLog has (registers only grow, by max), so when PFADD to the theme
-- one changes nothing, PFADD to the plain one would change nothing either.
local function stat_biz(scopes, unix, biz, theme)
  local y, m, d = civil(tonumber(unix) or 0)
  local mo = string.format('m%04d-%02d', y, m)
  local day = string.format('d%04d-%02d-%02d', y, m, d)
  local q, yr
  for _, sc in ipairs(scopes) do
    local k = base .. 'stats-biz:' .. sc .. ':'
    if redis.call('SADD', k .. mo .. ':' .. theme, biz) == 1 then
      q = q or string.format('q%04d-Q%d', y, math.floor((m - 1) / 3) + 1)
      yr = yr or string.format('y%04d', y)
      redis.call('SADD', k .. q .. ':' .. theme, biz)
      redis.call('SADD', k .. yr .. ':' .. theme, biz)
      if redis.call('SADD', k .. mo, biz) == 1 then
        redis.call('SADD', k .. q, biz)
        redis.call('SADD', k .. yr, biz)
      end
    end
    local h = base .. 'stats-bizhll:' .. sc .. ':' .. day
    if redis.call('PFADD', h .. ':' .. theme, biz) == 1 then
      redis.call('PFADD', h, biz)
    end
  end
end

local function stat_pledge(n)
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'business', 'theme', 'target', 'progress', 'created_at', 'status', 'closed_at', 'earlier_themes')
  return {business = p[1], theme = p[2], target = tonumber(p[3]) or 0, progress = tonumber(p[4]) or 0,
    created = p[5], status = p[6] or (p[1] and 'active'), closed = p[7], earlier = p[8]}
end

-- pledge_themes lists the themes a pledge has had: its own and, after
-- edits, the earlier_themes field ("waste,carbon"). A business joined the
-- sets of each.
local function pledge_themes(theme, earlier)
  local out = {theme}
  for t in string.gmatch(earlier or '', '[^,]+') do
    if t ~= theme then out[#out + 1] = t end
  end
  return out
end

-- stats_event keeps the counters in step with one write to pledge n at
-- time now. kind: 'close' (arg: the new status; the pledge was active);
-- 'edit' (arg: {theme=, target=} as they were before the edit, which is
-- already written); 'delete'. Pledges made and progress logged go
-- through stats_defer instead (below).
local function stats_event(n, kind, now, arg)
  local p = stat_pledge(n)
  if not p.business then return end
  local scopes = stat_scopes(p.business)
  if kind == 'close' then
    stat_add(scopes, now, arg, p.theme, 1)
    stat_active(scopes, p.theme, -1)
    if arg == 'withdrawn' then stat_add(scopes, p.created, 'committed', p.theme, -p.target) end
  elseif kind == 'delete' then
    -- The pledge and its business are being erased: take back everything
    -- it added, and the business out of the sets of the months, quarters
    -- and years it touched (daily HyperLogLogs cannot forget).
    stat_add(scopes, p.created, 'made', p.theme, -1)
    if p.status ~= 'withdrawn' then stat_add(scopes, p.created, 'committed', p.theme, -p.target) end
    stat_move_delivered(scopes, n, p.theme, nil)
    if p.status == 'active' then
      stat_active(scopes, p.theme, -1)
    elseif p.closed then
      stat_add(scopes, p.closed, p.status, p.theme, -1)
    end
    local times = {p.created, p.closed}
    for _, raw in ipairs(redis.call('LRANGE', base .. 'pledge:' .. n .. ':log', 0, -1)) do
      local ok, e = pcall(cjson.decode, raw)
      if ok and type(e) == 'table' and type(e.at) == 'string' then
        local y, m, d = string.match(e.at, '^(%d+)-(%d+)-(%d+)')
        if y then times[#times + 1] = tostring(os_time_utc(tonumber(y), tonumber(m), tonumber(d))) end
      end
    end
    for _, t in pairs(times) do
      if t then
        local y, m = civil(tonumber(t) or 0)
        for _, b in ipairs({string.format('m%04d-%02d', y, m), string.format('q%04d-Q%d', y, math.floor((m - 1) / 3) + 1), string.format('y%04d', y)}) do
          for _, sc in ipairs(scopes) do
            local k = base .. 'stats-biz:' .. sc .. ':' .. b
            redis.call('SREM', k, p.business)
            for _, theme in ipairs(pledge_themes(p.theme, p.earlier)) do
              redis.call('SREM', k .. ':' .. theme, p.business)
            end
          end
        end
      end
    end
    return
  elseif kind == 'edit' then
    local old = arg
    if old.theme == p.theme and old.target == p.target then return end
    if p.status ~= 'withdrawn' then
      stat_add(scopes, p.created, 'committed', old.theme, -old.target)
      stat_add(scopes, p.created, 'committed', p.theme, p.target)
    end
    if old.theme ~= p.theme then
      stat_add(scopes, p.created, 'made', old.theme, -1)
      stat_add(scopes, p.created, 'made', p.theme, 1)
      stat_move_delivered(scopes, n, old.theme, p.theme)
      if p.status == 'active' then
        stat_active(scopes, old.theme, -1)
        stat_active(scopes, p.theme, 1)
      elseif p.closed then
        stat_add(scopes, p.closed, p.status, old.theme, -1)
        stat_add(scopes, p.closed, p.status, p.theme, 1)
      end
    end
  end
  stat_biz(scopes, now, p.business, p.theme)
end

-- The two commonest writes, a pledge made and progress logged, do not
-- update the counters above and totals themselves (about twenty calls for
-- a business with a postcode): each adds one line to stats-pending,
-- "kind|now|amount|business|theme|postcode" (kind a or p), and
-- stats_fold applies the lines together, summed per kind, day, theme and
-- postcode, so a busy day's hundred pledges cost a handful of updates.
-- Counters only add, so folds and direct updates commute; what reads the
-- counters (summary, digest) or takes from the sets (business deletion)
-- folds first, and a write folds once stats_fold_at lines wait.
local stats_fold_at = 128

local function stats_fold()
  local key = base .. 'stats-pending'
  local lines = redis.call('LRANGE', key, 0, -1)
  if #lines == 0 then return end
  redis.call('DEL', key)
  local groups, order = {}, {}
  for _, line in ipairs(lines) do
    local kind, now, amount, biz, theme, pc = string.match(line, '^(%a)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
    if kind then
      local id = kind .. '|' .. math.floor((tonumber(now) or 0) / 86400) .. '|' .. theme .. '|' .. pc
      local g = groups[id]
      if not g then
        g = {kind = kind, now = now, theme = theme, pc = pc, n = 0, sum = 0, bizs = {}}
        groups[id] = g
        order[#order + 1] = g
      end
      g.n = g.n + 1
      g.sum = g.sum + (tonumber(amount) or 0)
      g.bizs[biz] = true
    end
  end
  local totals = base .. 'totals'
  -- A line can outlive its business only when a release that did not
  -- fold before deleting did the deletion (a rolling upgrade): its counts
  -- must still land, since that deletion took them away, but the business
  -- must not come back into the sets.
  local exists = {}
  for _, g in ipairs(order) do
    local scopes, bs = stat_scopes(nil, g.pc), stat_buckets(g.now)
    if g.kind == 'a' then
      stat_add_in(scopes, bs, 'made', g.theme, g.n)
      stat_add_in(scopes, bs, 'committed', g.theme, g.sum)
      stat_active(scopes, g.theme, g.n)
      total_add('committed:' .. g.theme, g.sum)
      redis.call('HINCRBY', totals, 'pledges:' .. g.theme, g.n)
      redis.call('HINCRBY', totals, 'status:active', g.n)
    elseif g.kind == 'p' then
      stat_add_in(scopes, bs, 'delivered', g.theme, g.sum)
      total_add('delivered:' .. g.theme, g.sum)
    end
    for biz in pairs(g.bizs) do
      if exists[biz] == nil then exists[biz] = redis.call('EXISTS', base .. 'business:' .. biz) == 1 end
      if exists[biz] then stat_biz(scopes, g.now, biz, g.theme) end
    end
  end
end

-- stats_defer records a pledge made (kind 'a', amount its target) or
-- progress logged ('p', the amount) for stats_fold. pc is the business's
-- postcode, false or '' when it has none.
local function stats_defer(kind, now, amount, biz, theme, pc)
  local line = kind .. '|' .. now .. '|' .. amount .. '|' .. biz .. '|' .. theme .. '|' .. (pc or '')
  if redis.call('RPUSH', base .. 'stats-pending', line) >= stats_fold_at then stats_fold() end
end

-- set_status moves pledge n between statuses. now (unix seconds) dates the
-- change in the period counters; scripts that cannot pass it get the
-- server's clock.
local function set_status(n, from, to, now)
  if not now then now = redis.call('TIME')[1] end
  redis.call('HSET', base .. 'pledge:' .. n, 'status', to)
  redis.call('HINCRBY', base .. 'totals', 'status:' .. from, -1)
  redis.call('HINCRBY', base .. 'totals', 'status:' .. to, 1)
  if to ~= 'active' then
    redis.call('ZREM', base .. 'due', n)
    redis.call('ZREM', base .. 'updated', n)
  end
  if from == 'active' and to ~= 'active' then
    redis.call('HSET', base .. 'pledge:' .. n, 'closed_at', now)
    stats_event(n, 'close', now, to)
  end
end

-- Every state change goes to the community's audit stream. Age trimming is
-- done by TrimAudit; MAXLEN is only a safety cap.
local function audit(by, action, biz, pledge, detail)
  redis.call('XADD', base .. 'audit', 'MAXLEN', '~', 1000000, '*', 'by', by, 'action', action,
    'business', tostring(biz or ''), 'pledge', tostring(pledge or ''), 'detail', detail or '')
end

-- Appends to the community's activity index, which the weekly digest reads
-- by time range so its cost follows the week's events, not the history.
-- The index is one list per UTC day, activity:DAY (DAY = unix days), whose
-- entries are "second-of-day|kind|pledge|business|theme|amount" (kind
-- by its first letter when that names it: c p d w l): a
-- list entry costs its bytes plus ~2, where a sorted-set member cost ~135
-- bytes, and RPUSH is cheaper than ZADD. activity-days indexes the days
-- (a small sorted set); on the first event of a day, days wholly older
-- than 62 days before it are dropped. business-seen keeps each business's
-- last activity for "quiet for 4+ weeks".
-- Entries store the known kinds by their first letter (see activity_kinds).
-- Amounts follow the totals, so a week's events add up to how much the
-- totals changed: created carries the target, progress the amount,
-- withdrawn minus the target; edited is a change of committed (a new
-- target, or a theme left and joined), moved one of delivered (progress
-- following a pledge to its new theme).
local activity_kinds = {c = 'created', p = 'progress', d = 'done', w = 'withdrawn', l = 'lapsed', e = 'edited', m = 'moved'}
local function activity(kind, n, biz, theme, amount, at)
  at = tonumber(at) or 0
  local day = math.floor(at / 86400)
  local k = string.sub(kind, 1, 1)
  if activity_kinds[k] ~= kind then k = kind end
  local entry = (at - day * 86400) .. '|' .. k .. '|' .. n .. '|' .. biz .. '|' .. theme .. '|' .. amount
  if redis.call('RPUSH', base .. 'activity:' .. day, entry) == 1 then
    local days = base .. 'activity-days'
    redis.call('ZADD', days, day, day)
    local keep = '(' .. math.floor((at - 5356800) / 86400)
    for _, old in ipairs(redis.call('ZRANGEBYSCORE', days, '-inf', keep)) do
      redis.call('DEL', base .. 'activity:' .. old)
    end
    redis.call('ZREMRANGEBYSCORE', days, '-inf', keep)
    -- the sorted set earlier versions wrote (see activity_range)
    redis.call('ZREMRANGEBYSCORE', base .. 'activity', '-inf', '(' .. (at - 5356800))
  end
  redis.call('ZADD', base .. 'business-seen', at, biz)
end

-- activity_range returns the index's events with from <= time < to as
-- the sorted set used to: "i|kind|pledge|business|theme|amount" then the
-- time, ordered by time and, within a second, as written (i numbers the
-- events of the answer; entries need no stored sequence number).
local function activity_range(from, to)
  from, to = tonumber(from), tonumber(to)
  local evs = {}
  local days = redis.call('ZRANGEBYSCORE', base .. 'activity-days', math.floor(from / 86400), math.floor((to - 1) / 86400))
  for _, day in ipairs(days) do
    local start = tonumber(day) * 86400
    for _, e in ipairs(redis.call('LRANGE', base .. 'activity:' .. day, 0, -1)) do
      local off, rest = string.match(e, '^(%d+)|(.*)$')
      if off then
        local at = start + tonumber(off)
        if at >= from and at < to then evs[#evs + 1] = {at, #evs, rest} end
      end
    end
  end
  -- Events written before the index became daily lists are still in the
  -- sorted set "activity" (members "seq|kind|...", trimmed as before) until
  -- they age out; they come first within their second.
  local legacy = redis.call('ZRANGEBYSCORE', base .. 'activity', from, '(' .. to, 'WITHSCORES')
  for i = 1, #legacy, 2 do
    local rest = string.match(legacy[i], '^[^|]*|(.*)$')
    if rest then evs[#evs + 1] = {tonumber(legacy[i + 1]), -1, rest} end
  end
  table.sort(evs, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  local out = {}
  for i, e in ipairs(evs) do
    local k, rest = string.match(e[3], '^([^|]*)(.*)$')
    out[#out + 1] = i .. '|' .. (activity_kinds[k] or k) .. rest
    out[#out + 1] = string.format('%d', e[1])
  end
  return out
end

-- activity_scrub removes a business's events from the index.
local function activity_scrub(biz)
  local days = base .. 'activity-days'
  for _, day in ipairs(redis.call('ZRANGE', days, 0, -1)) do
    local k = base .. 'activity:' .. day
    for _, e in ipairs(redis.call('LRANGE', k, 0, -1)) do
      if string.match(e, '^[^|]*|[^|]*|[^|]*|([^|]*)') == biz then redis.call('LREM', k, 0, e) end
    end
    if redis.call('EXISTS', k) == 0 then redis.call('ZREM', days, day) end
  end
  for _, m in ipairs(redis.call('ZRANGE', base .. 'activity', 0, -1)) do
    if string.match(m, '^[^|]*|[^|]*|[^|]*|([^|]*)') == biz then redis.call('ZREM', base .. 'activity', m) end
  end
end

-- replace_all replaces every plain (not pattern) occurrence of old in s.
local function replace_all(s, old, new)
  local out, from = '', 1
  while true do
    local i, j = string.find(s, old, from, true)
    if not i then return out .. string.sub(s, from) end
    out = out .. string.sub(s, from, i - 1) .. new
    from = j + 1
  end
end

-- outbox_each calls visit(stream, key, entry, fields) for every notice
-- waiting in the outbox or given up on in outbox-dead, in batches of 500
-- (fields: the entry's field -> value).
local function outbox_each(visit)
  for _, stream in ipairs({'outbox', 'outbox-dead'}) do
    local key, cursor = base .. stream, '-'
    while true do
      local entries = redis.call('XRANGE', key, cursor, '+', 'COUNT', 500)
      for _, e in ipairs(entries) do
        local f = {}
        for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
        visit(stream, key, e, f)
      end
      if #entries < 500 then break end
      cursor = '(' .. entries[#entries][1]
    end
  end
end

-- outbox_drop takes one notice out: XDEL, not a rebuild, keeps the
-- senders' consumer group; XACK and the attempts field follow it out.
local function outbox_drop(stream, key, id)
  redis.call('XDEL', key, id)
  if stream == 'outbox' then
    redis.pcall('XACK', key, 'senders', id)
    redis.call('HDEL', base .. 'outbox-attempts', id)
  end
end

-- A scheduled notice about a pledge (a nudge, key nudge:N:KIND:PERIOD, or
-- a lapse notice to an owner, lapsed:N:CLOSED:PERSON) is decided once in
-- the pledge's own hash pledge:N:once, field the key without its
-- "nudge:N:" ("stale:1790000000") or with "lapsed:N:" shortened to
-- "lapsed:" ("lapsed:1790000000:slack:T1:U1"), value when the decision
-- lapses (unix, server clock); the hash expires with its last decision.
-- Deleting a pledge and erasing a person find them there by name, where
-- a string once:KEY per notice could only be found by a SCAN. Releases
-- before wrote once:KEY: enqueue.lua still honours those, and dropping a
-- field drops its string too.
local function notice_field(key)
  local n, rest = string.match(key, '^nudge:(%d+):(.+)$')
  if n then return n, rest end
  n, rest = string.match(key, '^lapsed:(%d+):(.+)$')
  if n then return n, 'lapsed:' .. rest end
  return nil
end

-- notice_key is the notice key of pledge n's field: notice_field's inverse.
local function notice_key(n, field)
  local rest = string.match(field, '^lapsed:(.+)$')
  if rest then return 'lapsed:' .. n .. ':' .. rest end
  return 'nudge:' .. n .. ':' .. field
end

-- notice_decide decides pledge n's notice (its key and field) for ttl
-- seconds, and says whether it was still undecided. Decisions that have
-- lapsed leave the hash on the way.
local function notice_decide(n, key, field, ttl)
  local k = base .. 'pledge:' .. n .. ':once'
  local now = tonumber(redis.call('TIME')[1])
  if tonumber(redis.call('HGET', k, field) or '0') > now or redis.call('EXISTS', base .. 'once:' .. key) == 1 then
    return false
  end
  local h = redis.call('HGETALL', k)
  for j = 1, #h, 2 do
    if (tonumber(h[j + 1]) or 0) <= now then redis.call('HDEL', k, h[j]) end
  end
  redis.call('HSET', k, field, now + ttl)
  if redis.call('TTL', k) < ttl then redis.call('EXPIRE', k, ttl) end
  return true
end

-- notices_drop forgets pledge n's decided notices: every one, or those
-- whose field which(field) accepts.
local function notices_drop(n, which)
  local k = base .. 'pledge:' .. n .. ':once'
  for _, f in ipairs(redis.call('HKEYS', k)) do
    if not which or which(f) then
      redis.call('HDEL', k, f)
      redis.call('DEL', base .. 'once:' .. notice_key(n, f))
    end
  end
end

-- forget_people removes what names people in the community besides their
-- memberships, histories, roles and audit entries: their request records
-- (idem:PERSON:DAY, one hash a UTC day of the server's clock, see idem_key:
-- today's, yesterday's, and the day before's should the clock have just
-- turned, deleted by name), their nudge setting, and notices addressed to
-- them still waiting in the outbox or given up on, in one pass over each
-- stream. XDEL, not a rebuild, keeps the senders' consumer group; XACK and
-- the attempts field follow the entry out. people: identity -> true.
local function forget_people(people)
  if next(people) == nil then return end
  local today = math.floor(tonumber(redis.call('TIME')[1]) / 86400)
  local to_of = {}
  for who in pairs(people) do
    for d = today - 2, today do redis.call('DEL', base .. 'idem:' .. who .. ':' .. d) end
    redis.call('HDEL', base .. 'nudge-prefs', who)
    to_of[who] = true
  end
  outbox_each(function(stream, key, e, f)
    local ok, n = pcall(cjson.decode, f.notice or '')
    local to = ok and type(n) == 'table' and type(n.To) == 'table' and n.To or {}
    if type(to.User) == 'string' and to_of[tostring(to.Platform) .. ':' .. tostring(to.Workspace) .. ':' .. to.User] then
      outbox_drop(stream, key, e[1])
    end
  end)
end
