-- Renames the fields of a community's pledge hashes written before they
-- stored short names (pledge_short in lua/prelude.lua), a batch of pledge
-- numbers per call so Redis never stalls. It reads the stored names
-- (raw_call): the only place the long ones are read from Redis. A field
-- already short is left as it is, so a batch done twice is harmless.
-- KEYS[1]: seq:pledge (the pledge counter)
-- Derived keys: pledge:*, pledges:*
-- ARGV[1]: first pledge number
-- ARGV[2]: how many
-- Returns: {the next pledge number, or 0 when none is left; how many pledges changed}.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = tonumber(raw_call('GET', base .. 'seq:pledge') or '0')
local to, changed = math.min(from + count - 1, last), 0
for n = from, to do
  local key = base .. 'pledge:' .. n
  local h, old, new = raw_call('HGETALL', key), {}, {}
  for i = 1, #h, 2 do
    local s = short_name(h[i])
    if s ~= h[i] then
      old[#old + 1] = h[i]
      new[#new + 1] = s
      new[#new + 1] = h[i + 1]
    end
  end
  if #old > 0 then
    raw_call('HDEL', key, unpack(old))
    raw_call('HSET', key, unpack(new))
    changed = changed + 1
  end
end
if to >= last then return {0, changed} end
return {to + 1, changed}
