-- Enqueues a nudge sweep's messages atomically: each person's message (in
-- parts, one outbox entry each, consecutive) goes once a local day, and
-- each pledge item in it once per its notice key, whichever replica runs
-- the sweep and however often.
-- KEYS[1]: nudged (when people were last nudged)
-- KEYS[2]: outbox (the notices to send)
-- KEYS[3]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, once:*, persons:*
-- ARGV[1]: notice ttl (seconds)
-- ARGV[2..]: per person: identity, local date (YYYY-MM-DD), item count k, k notice keys
--   (nudge:N:... or lapsed:N:..., see notice_field in prelude.lua), part count m, m notice jsons.
-- Returns: the number of parts enqueued, or -2 (nothing written) when an
-- item was decided or its pledge deleted since the sweep read them: the
-- caller reads again and decides anew.
local ttl = tonumber(ARGV[1])
local now = tonumber(redis.call('TIME')[1])
local people = {}
local i = 2
while i <= #ARGV do
  local p = {who = ARGV[i], date = ARGV[i + 1], items = {}, parts = {}}
  local k = tonumber(ARGV[i + 2])
  for j = 1, k do p.items[j] = ARGV[i + 2 + j] end
  i = i + 3 + k
  local m = tonumber(ARGV[i])
  for j = 1, m do p.parts[j] = ARGV[i + j] end
  i = i + 1 + m
  people[#people + 1] = p
end
-- Check everything before writing anything.
local todo = {}
for _, p in ipairs(people) do
  if redis.call('HGET', base .. 'nudged', p.who) ~= p.date then
    for _, key in ipairs(p.items) do
      local n, field = notice_field(key)
      if not n or redis.call('EXISTS', base .. 'pledge:' .. n) == 0 then return -2 end
      -- Release 0361339 named no person in the field (only the maker was
      -- nudged): its decision still stands for this period.
      local old = string.sub(field, 1, #field - #p.who - 1)
      local once = redis.call('HMGET', base .. 'pledge:' .. n .. ':once', field, old)
      if tonumber(once[1] or '0') > now or tonumber(once[2] or '0') > now
        or redis.call('EXISTS', base .. 'once:' .. key) == 1 then
        return -2
      end
    end
    todo[#todo + 1] = p
  end
end
local sent = 0
for _, p in ipairs(todo) do
  redis.call('HSET', base .. 'nudged', p.who, p.date)
  for _, key in ipairs(p.items) do
    local n, field = notice_field(key)
    notice_decide(n, key, field, ttl)
  end
  for j, json in ipairs(p.parts) do
    redis.call('XADD', base .. 'outbox', '*', 'key', 'nudges:' .. p.date .. ':' .. j .. '/' .. #p.parts, 'notice', json,
      'who', p.who, 'items', table.concat(p.items, ' '))
    sent = sent + 1
  end
end
return sent
