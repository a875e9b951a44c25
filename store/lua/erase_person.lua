-- Removes a person from one community: memberships, roles, their own keys,
-- their identity in the pledges and histories of their businesses, and their
-- audit entries (scrubbed afterwards by audit_scrub.lua); one entry records
-- the erasure.
-- ARGV: operator, person
local operator, who = ARGV[1], ARGV[2]
-- Histories are JSON with the person as a whole "by" value: replace exactly
-- that, never a substring (erasing slack:T1:U1 must not touch U12).
local quoted, erased = '"by":"' .. who .. '"', '"by":"erased"'
local function scrub(s)
  local out, from = '', 1
  while true do
    local i, j = string.find(s, quoted, from, true)
    if not i then return out .. string.sub(s, from) end
    out = out .. string.sub(s, from, i - 1) .. erased
    from = j + 1
  end
end
local pkey = base .. 'person:' .. who
local found = redis.call('EXISTS', pkey) == 1 or redis.call('HEXISTS', base .. 'nudge-prefs', who) == 1
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  found = found or redis.call('SISMEMBER', base .. 'role:' .. role, who) == 1
end
if not found then return 'absent' end
for i, biz in ipairs(redis.call('SMEMBERS', pkey)) do
  redis.call('HDEL', base .. 'business:' .. biz .. ':members', who)
  if redis.call('HGET', base .. 'business:' .. biz, 'created_by') == who then
    redis.call('HSET', base .. 'business:' .. biz, 'created_by', 'erased')
  end
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
    local key = base .. 'pledge:' .. n
    if redis.call('HGET', key, 'created_by') == who then redis.call('HSET', key, 'created_by', 'erased') end
    local log = redis.call('LRANGE', key .. ':log', 0, -1)
    for k, entry in ipairs(log) do
      if string.find(entry, quoted, 1, true) then redis.call('LSET', key .. ':log', k - 1, scrub(entry)) end
    end
  end
  -- The same for its s172 decision records and their amendments.
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':s172')) do
    local key = base .. 's172:' .. n
    if redis.call('HGET', key, 'created_by') == who then redis.call('HSET', key, 'created_by', 'erased') end
    local log = redis.call('LRANGE', key .. ':amendments', 0, -1)
    for k, entry in ipairs(log) do
      if string.find(entry, quoted, 1, true) then redis.call('LSET', key .. ':amendments', k - 1, scrub(entry)) end
    end
  end
end
redis.call('DEL', pkey)
redis.call('HDEL', base .. 'nudge-prefs', who)
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  redis.call('SREM', base .. 'role:' .. role, who)
end
audit(operator, 'member.erase', '', '', '')
return 'ok'
