-- Replaces a Slack installation's hash in one step, so a reader never sees
-- a reinstall half written (store/slackinstall.go SaveSlackInstall).
-- KEYS[1]: (whole) the installation hash, PREFIX:slack:install:TEAM
-- ARGV[1..]: its fields, field value pairs
-- Returns: 1.
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
