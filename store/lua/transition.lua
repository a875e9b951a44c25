-- Moves an active pledge to done or withdrawn.
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
-- ARGV[5]: new status
-- ARGV[6]: event json
-- ARGV[7]: now (unix)
-- Returns: the pledge as pledge_out.
local actor, cfg, idem, n, to = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-transition'), ARGV[4], ARGV[5]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status ~= 'active' then return fail('status', p.status) end
local key = base .. 'pledge:' .. n
set_status(n, 'active', to, ARGV[7])
redis.call('HSET', key, 'updated_at', ARGV[7])
local left = 0
if to == 'withdrawn' then left = decimal(-p.target) end
activity(to, n, p.business, p.theme, left, ARGV[7], actor, event_extra(ARGV[6]))
need_met(redis.call('HGET', key, 'nd'), ARGV[7])
remember(idem, n)
return pledge_out(n)
