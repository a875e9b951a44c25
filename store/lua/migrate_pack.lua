-- Packs a community's pledge hashes written before pledges were packed,
-- pledge:N, into their buckets (pledges:B, pledge_load in lua/prelude.lua),
-- a batch of pledge numbers per call so Redis never stalls. Reading a
-- pledge hash packs it, with either field names (long ones of releases
-- before short-names-2026-12, or short) and a long value's parts joined;
-- a pledge packed already is left as it is, so a batch done twice is
-- harmless.
-- KEYS[1]: seq:pledge (the pledge counter)
-- Derived keys: pledge:*, pledges:*
-- ARGV[1]: first pledge number
-- ARGV[2]: how many
-- Returns: {the next pledge number, or 0 when none is left; how many pledges it packed}.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = tonumber(raw_call('GET', base .. 'seq:pledge') or '0')
local to, packed = math.min(from + count - 1, last), 0
for n = from, to do
  local key = base .. 'pledge:' .. n
  if raw_call('EXISTS', key) == 1 then
    pledge_load(key)
    packed = packed + 1
  end
end
if to >= last then return {0, packed} end
return {to + 1, packed}
