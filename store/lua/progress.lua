-- Logs progress against an active pledge. A total pledge's progress is the
-- sum of what was logged; a rate pledge's (measure = rate) is the latest
-- value reported, and its figures move from the value it held
-- (pledge_atoms).
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: outbox (the notices to send)
-- KEYS[4]: theme-slots (themes' slots in the bitmaps)
-- KEYS[5]: months (the months holding figures)
-- KEYS[6]: area-sums (how far the area sums count)
-- KEYS[7]: districts (the districts with area sums)
-- KEYS[8]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[9]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, business-seen:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*,
--   dbits:*, dsums:*, need:*, partner:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: amount (in the pledge's own unit: the script converts it with the pledge's factor)
-- ARGV[6]: event json
-- ARGV[7]: now (unix)
-- ARGV[8]: community
-- ARGV[9]: the partner's notice (a bot.Reply in JSON, '' for none)
-- ARGV[10]: the amount as a number in words ("1,200")
-- ARGV[11]: the unit words made singular (JSON, '' unless the amount is one)
-- A pledge made to a partner asks each of the partner's people (but the
-- one who logged) to confirm or query the new entry: a notice in the
-- outbox, key confirm:N:K:PERSON, written with the entry so a replay of
-- the request (which returns early) writes none again. People who join
-- the partner later are not asked about earlier entries.
-- Returns: the pledge as pledge_out.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-progress'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status ~= 'active' then return fail('status', p.status) end
local key = base .. 'pledge:' .. n
-- (a rate pledge's figures move from the value it held to the new one)
local before = p.rate and figures_touched(n)
-- delta is how far the pledge's progress (and so the delivered totals) moves.
local amount = tonumber(ARGV[5]) * p.factor
local delta = amount
if p.rate then
  delta = amount - p.progress
  redis.call('HSET', key, 'progress', decimal(amount))
else
  redis.call('HINCRBYFLOAT', key, 'progress', decimal(amount))
end
redis.call('HSET', key, 'updated_at', ARGV[7])
-- History keeps amounts in the theme's unit, like the pledge's figures;
-- the entry is dated now, as its ledger entry is (pledge_atoms).
local e = cjson.decode(ARGV[6])
e.amount = amount
local ev = cjson.encode(e)
redis.call('ZADD', updated_key(n), ARGV[7], n)
if not p.rate then
  local mo, score = month_of(ARGV[7])
  local d, partnered = pledge_district(n, p.business), redis.call('HEXISTS', key, 'pt') == 1
  sums_add(mo, score, 'd:' .. p.theme, amount)
  if d then dsums_add(d, mo, 'd:' .. p.theme, amount) end
  days_add(n, day_of(ARGV[7]), 'd:' .. p.theme, amount)
  -- a new entry of a pledge made to a partner awaits its confirmation
  if partnered then
    sums_add(mo, score, 'da:' .. p.theme, amount)
    if d then dsums_add(d, mo, 'da:' .. p.theme, amount) end
    days_add(n, day_of(ARGV[7]), 'da:' .. p.theme, amount)
  end
end
local b = redis.call('HMGET', base .. 'business:' .. p.business, 'name')
activity('progress', n, p.business, p.theme, decimal(delta), ARGV[7], actor, event_extra(ev))
if p.rate then touched_move(before, figures_touched(n)) end
local pt = redis.call('HGET', key, 'pt')
if pt and (ARGV[9] or '') ~= '' then
  ask_partner(n, #progress_entries(n), pt, actor, ARGV[8], ARGV[9], ARGV[10], ARGV[11])
end
need_met(redis.call('HGET', key, 'nd'), ARGV[7])
remember(idem, n)
return pledge_out(n, nil, b[1] or '')
