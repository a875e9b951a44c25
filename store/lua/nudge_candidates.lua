-- The pledges a nudge sweep may write about, read by range on the time
-- indexes so the sweep touches only those: due between two dates, or last
-- updated inside the stale window. One row per pledge.
-- ARGV: due from, due to, updated from, updated to (unix, inclusive)
local rows, seen, prefs = {}, {}, {}
local function add(n, source)
  if seen[n] then return end
  seen[n] = true
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'status', 'created_by', 'text', 'due',
    'snooze_until', 'updated_at', 'target', 'progress', 'unit', 'business', 'created_at', 'factor')
  p[3] = long_get(base .. 'pledge:' .. n, 'text')
  -- a pledge never changed since it was made has no updated_at field
  p[6] = p[6] or p[11]
  -- nor a status while active
  if p[10] and not p[1] then p[1] = 'active' end
  if p[1] ~= 'active' then return end
  -- Nudge whoever still acts for the business: the pledge's maker while a
  -- member, else an owner; never someone who has left.
  local who, members = p[2] or '', base .. 'business:' .. (p[10] or '') .. ':members'
  if redis.call('HEXISTS', members, who) == 0 then
    who = ''
    local m = redis.call('HGETALL', members)
    for i = 1, #m, 2 do
      if m[i + 1] == 'owner' then who = m[i]; break end
    end
  end
  if prefs[who] == nil then prefs[who] = redis.call('HGET', base .. 'nudge-prefs', who) or '' end
  rows[#rows + 1] = {n, source, who, p[3] or '', p[4] or '', p[5] or '', p[6] or '', p[7] or '', p[8] or '', p[9] or '', p[10] or '', prefs[who], p[12] or ''}
end
for i, n in ipairs(redis.call('ZRANGEBYSCORE', base .. 'due', ARGV[1], ARGV[2])) do add(n, 'due') end
for i, n in ipairs(redis.call('ZRANGEBYSCORE', base .. 'updated', ARGV[3], ARGV[4])) do add(n, 'stale') end
return rows
