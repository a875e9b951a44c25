-- Once per community, on upgrade (Store.MigratePeople), builds from the
-- data of releases before what this one keeps as it writes:
-- - notice decisions of releases before, strings once:nudge:N:... and
--   once:lapsed:N:... (ARGV[3..], after the key base; the store's one SCAN
--   found them), go into their pledge's pledge:N:once (notice_decide in
--   prelude.lua) with what is left of their time; the strings stay until
--   they expire, since enqueue.lua honours them. Those of pledges that no
--   longer exist (a business deleted since) are deleted: deletion could not
--   find them.
-- - when ARGV[2] is '1' (the store moves the decisions in batches, and
--   asks with the last), the people the community's records name, for
--   their own indexes of communities: members and former members of its
--   businesses, holders of a community role, nudge settings, recipients
--   of notices waiting in the outbox or given up on. (The store adds the
--   authors of audit entries and the people that keys name.)
-- KEYS[1]: seq:business (the business counter)
-- KEYS[2]: nudge-prefs (people's nudge settings)
-- KEYS[3]: outbox (the notices to send)
-- KEYS[4]: outbox-dead (notices given up on)
-- KEYS[5]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, once:*, pledge:*, pledges:*, role:*, persons:*
-- ARGV[1]: (unused) the release that migrates (Store.MigratePeople records it)
-- ARGV[2]: '1' to name the people
-- ARGV[3..]: notice keys
-- Returns: the people ({} when not asked).
local now = tonumber(redis.call('TIME')[1])
for i = 3, #ARGV do
  local key = ARGV[i]
  local n, field = notice_field(key)
  local ttl = redis.call('TTL', base .. 'once:' .. key)
  if n and ttl ~= -2 then
    if redis.call('EXISTS', base .. 'pledge:' .. n) == 0 then
      redis.call('DEL', base .. 'once:' .. key)
    else
      if ttl < 0 then ttl = 60 * 86400 end
      local k = base .. 'pledge:' .. n .. ':once'
      if tonumber(redis.call('HGET', k, field) or '0') < now + ttl then
        redis.call('HSET', k, field, now + ttl)
      end
      if redis.call('TTL', k) < ttl then redis.call('EXPIRE', k, ttl) end
    end
  end
end
if ARGV[2] ~= '1' then return {} end
local seen, people = {}, {}
local function add(who)
  if who and not seen[who] then
    seen[who] = true
    people[#people + 1] = who
  end
end
-- (businesses are numbered 1..seq:business; a deleted one has no members)
for biz = 1, tonumber(redis.call('GET', base .. 'seq:business') or '0') do
  for _, who in ipairs(redis.call('HKEYS', base .. 'business:' .. biz .. ':members')) do add(who) end
  for _, who in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':past')) do add(who) end
end
for _, role in ipairs({'council', 'coordinator', 'admin'}) do
  for _, who in ipairs(redis.call('SMEMBERS', base .. 'role:' .. role)) do add(who) end
end
for _, who in ipairs(redis.call('HKEYS', base .. 'nudge-prefs')) do add(who) end
outbox_each(function(stream, key, e, f)
  local ok, n = pcall(cjson.decode, f.notice or '')
  local to = ok and type(n) == 'table' and type(n.To) == 'table' and n.To or {}
  if type(to.User) == 'string' and to.User ~= '' then
    add(tostring(to.Platform) .. ':' .. tostring(to.Workspace) .. ':' .. to.User)
  end
end)
return people
