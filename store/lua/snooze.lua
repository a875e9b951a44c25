-- Stops nudges about an active pledge until a time.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: months (the months holding figures)
-- KEYS[4]: theme-slots (themes' slots in the bitmaps)
-- KEYS[5]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[6]: day-sums (how far the day sums count)
-- Derived keys: business:*, business-seen:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: until (unix)
-- ARGV[6]: event json
-- ARGV[7]: now (unix)
-- Returns: the pledge as pledge_out.
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-snooze'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local p, err = changeable(n, actor, cfg)
if err then return err end
if p.status ~= 'active' then return fail('status', p.status) end
local key = base .. 'pledge:' .. n
redis.call('HSET', key, 'snooze_until', ARGV[5])
activity('snoozed', n, p.business, p.theme, 0, ARGV[7], actor, event_extra(ARGV[6]))
remember(idem, n)
return pledge_out(n)
