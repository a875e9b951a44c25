-- Replaces a Slack installation's tokens in one step, and only while the
-- stored token is still the one refreshed: a reinstall or another refresh
-- in between wins, and an uninstall is not undone.
-- KEYS[1]: (whole) the installation hash, PREFIX:slack:install:TEAM
-- ARGV[1]: the (sealed) token refreshed
-- ARGV[2]: the new token
-- ARGV[3]: the new refresh token
-- ARGV[4]: when the new token expires, unix (0: never)
-- Returns: 1 when replaced, 0 when the stored token was another.
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'token', ARGV[2], 'refresh', ARGV[3], 'expires_at', ARGV[4])
return 1
