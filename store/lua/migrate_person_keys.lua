-- Moves a community's person keys written before they were fields of the
-- hash people (person_members in lua/prelude.lua) into it: person:WHO,
-- person:WHO:past, :partners and :needs become fields WHO, 'WHO past',
-- 'WHO partners' and 'WHO needs' -> the numbers, comma-separated. The
-- people are found through the records that name them, never a SCAN: a
-- business's members and those who left it (fields '@WHO' and '~WHO',
-- moved first by lua/migrate_members.lua) hold every person:WHO and
-- person:WHO:past, a partner's members every :partners, a need's by every
-- :needs. A batch of numbers of one kind per call; it reads and deletes
-- the old keys by their names (raw_call). Numbers already in a field are
-- kept, so a batch done twice is harmless.
-- KEYS[1]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: seq:*, business:*, partner:*, need:*, person:*
-- ARGV[1]: kind: business, partner or need
-- ARGV[2]: first number
-- ARGV[3]: how many
-- Returns: {the next number, or 0 when none of the kind is left; how many keys moved}.
local kind, from, count = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local last = tonumber(raw_call('GET', base .. 'seq:' .. kind) or '0')
local to, moved = math.min(from + count - 1, last), 0
local function move(who, suffix)
  local old = base .. 'person:' .. who .. suffix
  local ms = raw_call('SMEMBERS', old)
  if #ms == 0 then return end
  for _, m in ipairs(ms) do person_add(who, string.sub(suffix, 2), m) end
  raw_call('DEL', old)
  moved = moved + 1
end
for n = from, to do
  if kind == 'business' then
    local h = raw_call('HKEYS', base .. 'business:' .. n)
    for _, f in ipairs(h) do
      local p, who = string.sub(f, 1, 1), string.sub(f, 2)
      if p == '@' or p == '~' then
        move(who, '')
        move(who, ':past')
      end
    end
  elseif kind == 'partner' then
    for _, who in ipairs(raw_call('HKEYS', base .. 'partner:' .. n .. ':members')) do move(who, ':partners') end
  else
    local who = raw_call('HGET', base .. 'need:' .. n, 'by')
    if who then move(who, ':needs') end
  end
end
if to >= last then return {0, moved} end
return {to + 1, moved}
