-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: outbox-attempts (send attempts by notice)
-- KEYS[4]: theme-slots (themes' slots in the bitmaps)
-- KEYS[5]: months (the months holding figures)
-- KEYS[6]: outcomes (pledges by latest outcome)
-- KEYS[7]: outbox (the notices to send)
-- KEYS[8]: outbox-dead (notices given up on)
-- KEYS[9]: area-sums (how far the area sums count)
-- KEYS[10]: districts (the districts with area sums)
-- KEYS[11]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[12]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, due:*, business-seen:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*,
--   dbits:*, dsums:*, need:*, partner:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: event json
-- ARGV[6]: now (unix)
-- ARGV[7]: due score
-- ARGV[8..]: field/value pairs to change (text, theme, target, unit, due, visibility, factor, measure,
--   pt: the partner it is made to); factor '' or '1', measure '' and pt '' remove the field (the defaults:
--   same unit as the theme, a total, no partner). A pt naming no partner is refused 'notfound partner N'
--   before anything is written, as are a theme or pt other than those of the need the pledge is made
--   against ('needtheme N THEME', 'needpartner N P').
-- Returns: the pledge as pledge_out.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-edit'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status == 'withdrawn' then return fail('status', p.status) end
local key = base .. 'pledge:' .. n
for i = 8, #ARGV, 2 do
  if ARGV[i] == 'pt' and ARGV[i + 1] ~= '' and redis.call('EXISTS', base .. 'partner:' .. ARGV[i + 1]) == 0 then
    return fail('notfound', 'partner ' .. ARGV[i + 1])
  end
end
-- A pledge made against a need stays of the need's theme and to its
-- partner (add_pledge.lua's rules), or the need would count it wrongly.
local need = redis.call('HGET', key, 'nd')
if need then
  local nd = redis.call('HMGET', base .. 'need:' .. need, 'theme', 'pt')
  for i = 8, #ARGV, 2 do
    if nd[1] and ARGV[i] == 'theme' and ARGV[i + 1] ~= nd[1] then return fail('needtheme', need .. ' ' .. nd[1]) end
    if nd[2] and ARGV[i] == 'pt' and ARGV[i + 1] ~= nd[2] then return fail('needpartner', need .. ' ' .. nd[2]) end
  end
end
local theme, target = p.theme, p.target
-- (a move may change its business's rate figures in the rate theme it
-- leaves and the one it joins: figures_touched reads the business's
-- pledges for each, so only those)
local new_theme, new_rate = p.theme, p.rate
for i = 8, #ARGV, 2 do
  if ARGV[i] == 'theme' then new_theme = ARGV[i + 1] end
  if ARGV[i] == 'measure' then new_rate = ARGV[i + 1] == 'rate' end
end
local themes = {}
if p.rate then themes[#themes + 1] = p.theme end
if new_rate then themes[#themes + 1] = new_theme end
local before = figures_touched(n, themes)
for i = 8, #ARGV, 2 do
  local f, v = ARGV[i], ARGV[i + 1]
  if f == 'pt' then
    local old = redis.call('HGET', key, 'pt')
    if old then redis.call('SREM', base .. 'partner:' .. old .. ':pledges', n) end
    -- What the old partner confirmed or queried, a new one has not: its
    -- entries await confirmation (or are self-reported, without one).
    if old ~= v then redis.call('HDEL', key, 'cf') end
    -- The partner's people it was made to are no longer asked to
    -- confirm its entries, nor told of replies.
    -- The owners need no longer answer the old partner's queries, and
    -- its words on the pledge's outcome go with it (the ledger keeps
    -- them): they must not read as the new partner's.
    if old and old ~= v then
      outbox_drop_keys('^confirm:' .. n .. ':')
      outbox_drop_keys('^reply:' .. n .. ':')
      outbox_drop_keys('^query:' .. n .. ':')
      local oc = {'ob', 'oa'}
      for k = 1, #long_parts(key, 'oc') do oc[#oc + 1] = k == 1 and 'oc' or ('oc' .. k) end
      redis.call('HDEL', key, unpack(oc))
      redis.call('ZREM', base .. 'outcomes', n)
    end
    if v == '' then redis.call('HDEL', key, 'pt') else
      redis.call('HSET', key, 'pt', v)
      redis.call('SADD', base .. 'partner:' .. v .. ':pledges', n)
    end
  elseif (f == 'factor' and (v == '' or v == '1')) or (f == 'measure' and v == '') then
    redis.call('HDEL', key, f)
  elseif f == 'text' then
    long_set(key, f, v)
  else
    redis.call('HSET', key, f, v)
  end
  if f == 'theme' then theme = v end
  if f == 'target' then target = tonumber(v) end
  if f == 'due' and p.status == 'active' then
    if v == '' then redis.call('ZREM', due_key(n), n) else redis.call('ZADD', due_key(n), ARGV[7], n) end
  end
end
-- A move between a total and a rate theme changes what progress means:
-- the sum of the entries, or the latest one not struck.
local rate = redis.call('HGET', key, 'measure') == 'rate'
if rate ~= p.rate then
  local value = 0
  for _, e in ipairs(progress_entries(n)) do
    if rate then
      if e.amount ~= 0 then value = e.amount end
    else
      value = value + e.amount
    end
  end
  redis.call('HSET', key, 'progress', decimal(value))
end
-- The figures of every month the pledge touched follow the new theme,
-- target and measure; the ledger records the change in the week it was
-- made, for the digest.
touched_move(before, figures_touched(n, themes))
-- The first entry carries the history event; a theme change's others
-- ('-') only move the totals.
local extra = event_extra(ARGV[5])
if theme ~= p.theme then
  activity('edited', n, p.business, p.theme, decimal(-p.target), ARGV[6], actor, extra)
  activity('edited', n, p.business, theme, decimal(target), ARGV[6], actor, '-')
  if p.progress ~= 0 then
    activity('moved', n, p.business, p.theme, decimal(-p.progress), ARGV[6], actor, '-')
    activity('moved', n, p.business, theme, decimal(p.progress), ARGV[6], actor, '-')
  end
else
  -- Any edit, even of the text alone, is the business taking part (and
  -- not quiet for 4+ weeks).
  activity('edited', n, p.business, theme, decimal(target - p.target), ARGV[6], actor, extra)
end
redis.call('HSET', key, 'updated_at', ARGV[6])
if p.status == 'active' then redis.call('ZADD', updated_key(n), ARGV[6], n) end
-- (a move to or from a rate measure changes its progress)
need_met(redis.call('HGET', key, 'nd'), ARGV[6])
remember(idem, n)
return pledge_out(n)
