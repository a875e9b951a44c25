-- Numbers the people a community's pledges and businesses name, written
-- before people were numbered (person_number in lua/prelude.lua): a
-- pledge's created_by (stored name w) and a business's created_by that
-- hold an identity get its number instead, and a business's fields '@',
-- '^' and '~' + identity become '@N'... (folded_name), a batch of numbers
-- (pledge N and business N) per call so Redis never stalls. It reads the
-- stored values (raw_call; a pledge's by its stored name w through the
-- wrapper, which reads it from its packed string as stored, packing a
-- pledge hash not packed yet on the way): one already a number, or
-- 'erased', is left as it is, so a batch done twice is harmless.
-- KEYS[1]: seq:pledge (the pledge counter)
-- KEYS[2]: seq:business (the business counter)
-- KEYS[3]: people (people's own indexes: their numbers, person_number)
-- Derived keys: pledge:*, pledges:*, business:*, persons:* (persons:0 also counts the numbers given)
-- ARGV[1]: first number
-- ARGV[2]: how many
-- Returns: {the next number, or 0 when none is left; how many pledges and businesses changed}.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = math.max(tonumber(raw_call('GET', base .. 'seq:pledge') or '0'),
  tonumber(raw_call('GET', base .. 'seq:business') or '0'))
local to, changed = math.min(from + count - 1, last), 0
local function named(v) return v and string.find(v, ':', 1, true) end
for n = from, to do
  local key = base .. 'pledge:' .. n
  local w = redis.call('HGET', key, 'w')
  if named(w) then
    redis.call('HSET', key, 'w', person_number(w))
    changed = changed + 1
  end
  key = base .. 'business:' .. n
  local h, old, new = raw_call('HGETALL', key), {}, {}
  for i = 1, #h, 2 do
    local p, who = string.sub(h[i], 1, 1), string.sub(h[i], 2)
    if h[i] == 'created_by' and named(h[i + 1]) then
      new[#new + 1] = 'created_by'
      new[#new + 1] = person_number(h[i + 1])
    elseif person_prefix[p] and named(who) then
      old[#old + 1] = h[i]
      new[#new + 1] = p .. person_number(who)
      new[#new + 1] = h[i + 1]
    end
  end
  if #old > 0 then raw_call('HDEL', key, unpack(old)) end
  if #new > 0 then
    raw_call('HSET', key, unpack(new))
    changed = changed + 1
  end
end
if to >= last then return {0, changed} end
return {to + 1, changed}
