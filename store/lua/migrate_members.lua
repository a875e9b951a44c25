-- Moves the people and pledges of a community's businesses written before
-- they were fields of business:N (folded_call in lua/prelude.lua) into it:
-- the hash business:N:members, the zset business:N:joined and the sets
-- business:N:past and business:N:pledges become fields '@WHO' -> role,
-- '^WHO' -> unix, '~WHO' -> '' and '#N' -> '', a batch of business
-- numbers per call. It reads and deletes the old keys by their names
-- (raw_call), the one place they are still read. A field already there is kept (a write since is newer), so a batch
-- done twice is harmless.
-- KEYS[1]: seq:business (the business counter)
-- Derived keys: business:*
-- ARGV[1]: first business number
-- ARGV[2]: how many
-- Returns: {the next business number, or 0 when none is left; how many businesses changed}.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = tonumber(raw_call('GET', base .. 'seq:business') or '0')
local to, changed = math.min(from + count - 1, last), 0
for n = from, to do
  local key = base .. 'business:' .. n
  local moved = false
  local function move(p, pairs_)
    for i = 1, #pairs_, 2 do
      -- (a business deleted since keeps nothing of its people)
      if raw_call('EXISTS', key) == 1 then raw_call('HSETNX', key, p .. pairs_[i], pairs_[i + 1]) end
    end
    moved = moved or #pairs_ > 0
  end
  move('@', raw_call('HGETALL', key .. ':members'))
  move('^', raw_call('ZRANGE', key .. ':joined', 0, -1, 'WITHSCORES'))
  local past = {}
  for _, who in ipairs(raw_call('SMEMBERS', key .. ':past')) do
    past[#past + 1] = who
    past[#past + 1] = ''
  end
  move('~', past)
  local pledges = {}
  for _, pn in ipairs(raw_call('SMEMBERS', key .. ':pledges')) do
    pledges[#pledges + 1] = pn
    pledges[#pledges + 1] = ''
  end
  move('#', pledges)
  if moved then
    raw_call('DEL', key .. ':members', key .. ':joined', key .. ':past', key .. ':pledges')
    changed = changed + 1
  end
end
if to >= last then return {0, changed} end
return {to + 1, changed}
