-- Removes a person from one community: memberships, roles, their own keys,
-- their identity in the pledges and histories of their businesses, and their
-- audit entries (scrubbed afterwards by audit_scrub.lua); one entry records
-- the erasure.
-- ARGV: operator, person
local operator, who = ARGV[1], ARGV[2]
-- Histories are JSON with the person as a whole "by" value: replace exactly
-- that, never a substring (erasing slack:T1:U1 must not touch U12).
local quoted, erased = '"by":"' .. who .. '"', '"by":"erased"'
-- A pledge or decision: its maker, and the person in its history list.
local function scrub_record(key, history)
  if redis.call('HGET', key, 'created_by') == who then redis.call('HSET', key, 'created_by', 'erased') end
  for k, entry in ipairs(redis.call('LRANGE', key .. history, 0, -1)) do
    if string.find(entry, quoted, 1, true) then
      redis.call('LSET', key .. history, k - 1, replace_all(entry, quoted, erased))
    end
  end
end
-- Request records of other people's requests never name them
-- (set_member.lua remembers a digest); their own, nudge setting and waiting
-- notices go (forget_people), whether or not anything else is found: a
-- person who has left every business may still have some.
local pkey = base .. 'person:' .. who
local found = redis.call('EXISTS', pkey, pkey .. ':past') > 0 or redis.call('HEXISTS', base .. 'nudge-prefs', who) == 1
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  found = found or redis.call('SISMEMBER', base .. 'role:' .. role, who) == 1
end
forget_people({[who] = true})
if not found then return 'absent' end
-- Their businesses, and those they have left (whose histories name them).
local bizs = redis.call('SUNION', pkey, pkey .. ':past')
for i, biz in ipairs(bizs) do
  redis.call('HDEL', base .. 'business:' .. biz .. ':members', who)
  redis.call('SREM', base .. 'business:' .. biz .. ':past', who)
  if redis.call('HGET', base .. 'business:' .. biz, 'created_by') == who then
    redis.call('HSET', base .. 'business:' .. biz, 'created_by', 'erased')
  end
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
    scrub_record(base .. 'pledge:' .. n, ':log')
  end
  -- The same for its s172 decision records and their amendments.
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':s172')) do
    scrub_record(base .. 's172:' .. n, ':amendments')
  end
end
redis.call('DEL', pkey, pkey .. ':past')
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  redis.call('SREM', base .. 'role:' .. role, who)
end
audit(operator, 'member.erase', '', '', '')
return 'ok'
