-- Puts a done or lapsed pledge back to active. Its close is taken out of
-- the figures of the month it happened in, and it counts as active again.
-- A pledge must come back with no due date or one from today on.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: theme-slots (themes' slots in the bitmaps)
-- KEYS[4]: months (the months holding figures)
-- KEYS[5]: area-sums (how far the area sums count)
-- KEYS[6]: districts (the districts with area sums)
-- KEYS[7]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[8]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, due:*, business-seen:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*,
--   dbits:*, dsums:*, need:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: due (YYYY-MM-DD, '' to keep the one it has)
-- ARGV[6]: due score
-- ARGV[7]: today (unix, 00:00 UTC)
-- ARGV[8]: event json
-- ARGV[9]: now (unix)
-- Returns: the pledge as pledge_out, or an error: notfound, forbidden,
-- notclosed "STATUS N", needdue DUE.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-reopen'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status ~= 'done' and p.status ~= 'lapsed' then return fail('notclosed', p.status .. ' ' .. n) end
local key = base .. 'pledge:' .. n
local due, score = ARGV[5], tonumber(ARGV[6])
if due == '' then
  local old = redis.call('HGET', key, 'due')
  if old then
    local y, m, d = string.match(old, '^(%d+)-(%d+)-(%d+)$')
    score = y and os_time_utc(tonumber(y), tonumber(m), tonumber(d)) or 0
    if score < tonumber(ARGV[7]) then return fail('needdue', old) end
  end
else
  redis.call('HSET', key, 'due', due)
end
local before = figures_touched(n)
redis.call('HDEL', key, 'status', 'closed_at')
touched_move(before, figures_touched(n))
if redis.call('HEXISTS', key, 'due') == 1 then redis.call('ZADD', due_key(n), score, n) end
redis.call('ZADD', updated_key(n), ARGV[9], n)
redis.call('HSET', key, 'updated_at', ARGV[9])
activity('reopened', n, p.business, p.theme, 0, ARGV[9], actor, event_extra(ARGV[8]))
need_met(redis.call('HGET', key, 'nd'), ARGV[9])
remember(idem, n)
return pledge_out(n)
