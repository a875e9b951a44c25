-- Drops an installation's installer field when it is the person erased,
-- in one step with the check, so a reinstall by someone else keeps its own
-- (store/rights.go ErasePerson).
-- KEYS[1]: (whole) the installation hash, PREFIX:slack:install:TEAM
-- ARGV[1]: the person's Slack user id
-- Returns: 0.
if redis.call('HGET', KEYS[1], 'installer') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'installer')
end
return 0
