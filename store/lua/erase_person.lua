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
-- The person's request records (idem:PERSON:DAY, one hash a UTC day of
-- the server's clock, see idem_key in prelude.lua) go by name: today's,
-- yesterday's, and the day before's should the clock have just turned.
-- Records of other people's requests never name them (set_member.lua
-- remembers a digest). Deleted whether or not anything else is found: a
-- person who has left every business may still have some.
local today = math.floor(tonumber(redis.call('TIME')[1]) / 86400)
for d = today - 2, today do redis.call('DEL', base .. 'idem:' .. who .. ':' .. d) end
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
    scrub_record(base .. 'pledge:' .. n, ':log')
  end
  -- The same for its s172 decision records and their amendments.
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':s172')) do
    scrub_record(base .. 's172:' .. n, ':amendments')
  end
end
redis.call('DEL', pkey)
redis.call('HDEL', base .. 'nudge-prefs', who)
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  redis.call('SREM', base .. 'role:' .. role, who)
end
-- Notices still waiting to be sent (the platform was down) or given up on
-- that are addressed to the person go. XDEL, not a rebuild, keeps the
-- senders' consumer group; XACK and the attempts field follow the entry out.
local platform, workspace, user = string.match(who, '^([^:]+):([^:]+):(.+)$')
for _, stream in ipairs({'outbox', 'outbox-dead'}) do
  local key, cursor = base .. stream, '-'
  while true do
    local entries = redis.call('XRANGE', key, cursor, '+', 'COUNT', 500)
    for _, e in ipairs(entries) do
      local f = {}
      for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
      local ok, n = pcall(cjson.decode, f.notice or '')
      local to = ok and type(n) == 'table' and type(n.To) == 'table' and n.To or {}
      if to.Platform == platform and to.Workspace == workspace and to.User == user then
        redis.call('XDEL', key, e[1])
        if stream == 'outbox' then
          redis.pcall('XACK', key, 'senders', e[1])
          redis.call('HDEL', base .. 'outbox-attempts', e[1])
        end
      end
    end
    if #entries < 500 then break end
    cursor = '(' .. entries[#entries][1]
  end
end
audit(operator, 'member.erase', '', '', '')
return 'ok'
