-- The pledges a nudge sweep may write about, read by range on the time
-- indexes so the sweep touches only those: due between two dates, or last
-- updated inside the stale window; the pledges lapsed whose owners are
-- still to be told (lapse-untold); and the people they concern.
-- KEYS[1]: lapse-untold (lapsed pledges not yet told)
-- KEYS[2]: seq:pledge (the pledge counter)
-- KEYS[3]: nudge-prefs (people's nudge settings)
-- KEYS[4]: nudge-when (people's nudge times)
-- KEYS[5]: nudged (when people were last nudged)
-- KEYS[6]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, updated:*, persons:*
-- ARGV[1]: due from (unix, inclusive)
-- ARGV[2]: due to (unix, inclusive)
-- ARGV[3]: updated from (unix, inclusive)
-- ARGV[4]: updated to (unix, inclusive)
-- Returns: {rows, people}: one row per active pledge {n, source, maker
-- ('' once they left the business), text, due, snooze_until, updated_at,
-- target, progress, unit, business, factor, owners (identities joined by
-- ','), closed_at, the notice fields decided and still live (joined by
-- newlines, see notice_decide)}, source 'due', 'stale' or 'lapsed'; people a flat list of (identity, nudge pref, nudge time and zone
-- "HH:MM|Zone", local date last nudged) for every maker and owner named.
local rows, seen, people, owners_of = {}, {}, {}, {}
local now = tonumber(redis.call('TIME')[1])
local function person(who)
  if who ~= '' and people[who] == nil then people[who] = true end
end
local function owners(biz)
  if owners_of[biz] == nil then
    local list, m = {}, redis.call('HGETALL', base .. 'business:' .. biz .. ':members')
    for i = 1, #m, 2 do
      if m[i + 1] == 'owner' then list[#list + 1] = m[i]; person(m[i]) end
    end
    table.sort(list)
    owners_of[biz] = table.concat(list, ',')
  end
  return owners_of[biz]
end
local function add(n, source)
  if seen[n] then return end
  seen[n] = true
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'status', 'created_by', 'text', 'due',
    'snooze_until', 'updated_at', 'target', 'progress', 'unit', 'business', 'created_at', 'factor', 'closed_at')
  p[3] = long_get(base .. 'pledge:' .. n, 'text')
  -- a pledge never changed since it was made has no updated_at field
  p[6] = p[6] or p[11]
  -- nor a status while active
  if p[10] and not p[1] then p[1] = 'active' end
  if not p[10] or p[1] ~= (source == 'lapsed' and 'lapsed' or 'active') then return end
  -- The maker hears while a member; someone who has left never does. Of a
  -- lapse only the owners hear.
  local maker = p[2] or ''
  if source == 'lapsed' or redis.call('HEXISTS', base .. 'business:' .. p[10] .. ':members', maker) == 0 then maker = '' end
  person(maker)
  local decided, once = {}, redis.call('HGETALL', base .. 'pledge:' .. n .. ':once')
  for i = 1, #once, 2 do
    if (tonumber(once[i + 1]) or 0) > now then decided[#decided + 1] = once[i] end
  end
  rows[#rows + 1] = {n, source, maker, p[3] or '', p[4] or '', p[5] or '', p[6] or '', p[7] or '', p[8] or '',
    p[9] or '', p[10] or '', p[12] or '', owners(p[10]), p[13] or '', table.concat(decided, '\n')}
end
-- Lapses first: a pledge lapsed may also sit in the updated window.
for i, n in ipairs(redis.call('SMEMBERS', base .. 'lapse-untold')) do add(n, 'lapsed') end
for _, k in ipairs(bucket_keys('due', 'seq:pledge')) do
  for _, n in ipairs(redis.call('ZRANGEBYSCORE', k, ARGV[1], ARGV[2])) do add(n, 'due') end
end
for b = 0, math.floor(tonumber(redis.call('GET', base .. 'seq:pledge') or '0') / updated_per) do
  for _, n in ipairs(redis.call('ZRANGEBYSCORE', base .. 'updated:' .. b, ARGV[3], ARGV[4])) do add(n, 'stale') end
end
local flat = {}
for who in pairs(people) do
  flat[#flat + 1] = who
  flat[#flat + 1] = redis.call('HGET', base .. 'nudge-prefs', who) or ''
  flat[#flat + 1] = redis.call('HGET', base .. 'nudge-when', who) or ''
  flat[#flat + 1] = redis.call('HGET', base .. 'nudged', who) or ''
end
return {rows, flat}
