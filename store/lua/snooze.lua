-- Stops nudges about an active pledge until a time.
-- ARGV: actor, cfgadmin, req, pledge, until (unix), event json, now
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
