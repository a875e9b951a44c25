-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: theme-slots (themes' slots in the bitmaps)
-- KEYS[3]: months (the months holding figures)
-- KEYS[4]: seq:pledge (the pledge counter)
-- KEYS[5]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[6]: area-sums (how far the area sums count)
-- KEYS[7]: districts (the districts with area sums)
-- KEYS[8]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, due:*, business-seen:*, person:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*,
--   dbits:*, dsums:*, partner:*, need:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: business (0: the actor's only one)
-- ARGV[5]: text
-- ARGV[6]: theme
-- ARGV[7]: target (in the theme's unit)
-- ARGV[8]: unit (as the person gave it)
-- ARGV[9]: due (YYYY-MM-DD or '')
-- ARGV[10]: due score
-- ARGV[11]: visibility
-- ARGV[12]: now (unix)
-- ARGV[13]: (optional) factor (unit to the theme's; '' or absent: 1)
-- ARGV[14]: (optional) measure ('rate' or '' / absent: total)
-- ARGV[15]: (optional) partner ('' / absent: none; one that does not exist is refused 'notfound partner N')
-- ARGV[16]: (optional) need ('' / absent: none; refused 'notfound need N', 'needclosed N',
--   'needtheme N THEME' when its theme is another, 'needpartner N P' when it names another partner)
-- Returns: the pledge as pledge_out.
-- Every redis.call costs about a microsecond of overhead besides its own
-- work, so this script reads what it needs once and answers from what it
-- wrote instead of reading the pledge back.
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-add')
local done = idem_result(idem)
if done then return pledge_out(done) end
local biz, member = ARGV[4], false
if biz == '0' then
  -- person:ACTOR and the business's members hash change together, so a
  -- business found here is one the actor belongs to.
  local err
  biz, err = own_business(actor)
  if not biz then return err end
  member = true
end
-- A registered business always has a name; EXISTS only settles the odd
-- hash without one.
local b = redis.call('HMGET', base .. 'business:' .. biz, 'name', 'postcode')
if not b[1] and redis.call('EXISTS', base .. 'business:' .. biz) == 0 then return fail('notfound', 'business ' .. biz) end
if not (member or cfg == '1' or biz_role(biz, actor) or is_admin(actor, cfg)) then return fail('forbidden', 'business ' .. biz) end
local theme, target, due, now = ARGV[6], ARGV[7], ARGV[9], ARGV[12]
local partner = ARGV[15] or ''
if partner ~= '' and redis.call('EXISTS', base .. 'partner:' .. partner) == 0 then return fail('notfound', 'partner ' .. partner) end
local need = ARGV[16] or ''
if need ~= '' then
  local nd = redis.call('HMGET', base .. 'need:' .. need, 'theme', 'pt', 'status')
  if not nd[1] then return fail('notfound', 'need ' .. need) end
  if nd[3] == 'closed' then return fail('needclosed', need) end
  if nd[1] ~= theme then return fail('needtheme', need .. ' ' .. nd[1]) end
  if nd[2] and nd[2] ~= partner then return fail('needpartner', need .. ' ' .. nd[2]) end
end
-- (a rate pledge may change its business's figures in the theme, which
-- the first of its pledges there carries: rate_members)
local factor, rate = ARGV[13] or '', ARGV[14] == 'rate'
local before = {}
local first = rate and rate_members(biz, theme)[1]
if first then before[first] = pledge_atoms(first) end
local n = redis.call('INCR', base .. 'seq:pledge')
-- Defaults (status active, public, no progress, no due date, updated_at =
-- created_at until the first change) are left out: absent fields cost
-- nothing, and memory per pledge is a budget. Readers of status take a
-- pledge with a business and no status as active.
local key = base .. 'pledge:' .. n
local h = long_fields('text', ARGV[5])
for _, v in ipairs({'business', biz, 'theme', theme, 'target', target, 'unit', ARGV[8], 'created_by', actor,
  'created_at', now}) do h[#h + 1] = v end
if due ~= '' then h[#h + 1] = 'due'; h[#h + 1] = due end
if ARGV[11] ~= 'public' then h[#h + 1] = 'visibility'; h[#h + 1] = ARGV[11] end
if factor ~= '' and factor ~= '1' then h[#h + 1] = 'factor'; h[#h + 1] = factor end
if rate then h[#h + 1] = 'measure'; h[#h + 1] = 'rate' end
-- One short field names the partner; partner:P:pledges lists it back.
if partner ~= '' then h[#h + 1] = 'pt'; h[#h + 1] = partner end
-- And the need it is made against; need:N:pledges lists it back.
if need ~= '' then h[#h + 1] = 'nd'; h[#h + 1] = need end
-- (created_by stores the actor's number in the community, person_number;
-- h, the answer, names them)
local stored = {unpack(h)}
for i = 1, #stored, 2 do
  if stored[i] == 'created_by' then stored[i + 1] = person_number(actor) end
end
redis.call('HSET', key, unpack(stored))
if partner ~= '' then redis.call('SADD', base .. 'partner:' .. partner .. ':pledges', n) end
if need ~= '' then redis.call('SADD', base .. 'need:' .. need .. ':pledges', n) end
redis.call('SADD', base .. 'business:' .. biz .. ':pledges', n)
if due ~= '' then redis.call('ZADD', due_key(n), ARGV[10], n) end
redis.call('ZADD', updated_key(n), now, n)
area_admit(n)
day_admit(n)
if rate then
  before[n] = {n = n, biz = biz}
  touched_move(before, figures_touched(n))
else
  -- (its atoms, pledge_atoms: made, and the target committed)
  local mo, score = month_of(now)
  local c, by = 'c:' .. theme, tonumber(target) or 0
  sums_add(mo, score, 'm:' .. theme, 1)
  sums_add(mo, score, c, by)
  days_add(n, day_of(now), 'm:' .. theme, 1)
  days_add(n, day_of(now), c, by)
  local d = pledge_district(n, biz)
  if d then
    dsums_add(d, mo, 'm:' .. theme, 1, biz)
    dsums_add(d, mo, c, by)
  end
end
activity('created', n, biz, theme, target, now, actor, '')
remember(idem, n)
return pledge_out(n, h, b[1] or '')
