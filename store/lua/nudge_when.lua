-- Sets one part of a person's own nudge time: their clock or their time
-- zone; the other part stays. Setting a value again changes nothing more.
-- KEYS[1]: nudge-when (people's nudge times)
-- ARGV[1]: identity
-- ARGV[2]: 'clock' or 'zone'
-- ARGV[3]: value ('' for the community's)
-- Returns: the stored "HH:MM|Zone" ('' when both parts are the community's).
local key = base .. 'nudge-when'
local clock, zone = string.match(redis.call('HGET', key, ARGV[1]) or '|', '^([^|]*)|(.*)$')
if ARGV[2] == 'clock' then clock = ARGV[3] else zone = ARGV[3] end
if (clock or '') == '' and (zone or '') == '' then
  redis.call('HDEL', key, ARGV[1])
  return ''
end
local v = (clock or '') .. '|' .. (zone or '')
redis.call('HSET', key, ARGV[1], v)
return v
