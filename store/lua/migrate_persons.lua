-- Numbers the makers of a community's pledges written before people were
-- numbered (person_number in lua/prelude.lua): a pledge whose created_by
-- (stored name w) holds an identity gets its maker's number instead, a
-- batch of pledge numbers per call so Redis never stalls. It reads the
-- stored value (raw_call): one already a number, or 'erased', is left as
-- it is, so a batch done twice is harmless.
-- KEYS[1]: seq:pledge (the pledge counter)
-- KEYS[2]: people (people's own indexes: their numbers, person_number)
-- Derived keys: pledge:*, persons:* (persons:0 also counts the numbers given)
-- ARGV[1]: first pledge number
-- ARGV[2]: how many
-- Returns: {the next pledge number, or 0 when none is left; how many pledges changed}.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = tonumber(raw_call('GET', base .. 'seq:pledge') or '0')
local to, changed = math.min(from + count - 1, last), 0
for n = from, to do
  local key = base .. 'pledge:' .. n
  local w = raw_call('HGET', key, 'w')
  if w and string.find(w, ':', 1, true) then
    raw_call('HSET', key, 'w', person_number(w))
    changed = changed + 1
  end
end
if to >= last then return {0, changed} end
return {to + 1, changed}
