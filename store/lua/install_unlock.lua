-- Frees a workspace's token-refresh lock only while it still holds the
-- caller's mark, so a replica whose lock expired cannot free another's.
-- KEYS[1]: (whole) the lock, PREFIX:slack:refresh:TEAM
-- ARGV[1]: the caller's mark
-- Returns: 1 when freed, 0 when the lock was not the caller's.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
