-- Rewrites one month of a community's ledger so that entries whose extra
-- is a note alone keep it bare (entry_raw in lua/figures.lua), as entries
-- written since do: 11 bytes an entry less. Entries of the release before
-- compact entries, and extras that are more than a note, are left as they
-- are; both forms read alike (parse_entry), so a month done twice, or
-- not yet, is harmless.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, persons:*
-- ARGV[1]: the month, YYYY-MM
-- Returns: how many entries changed.
local mo, changed = ARGV[1], 0
local key = base .. 'ledger:' .. mo
for i, raw in ipairs(redis.call('LRANGE', key, 0, -1)) do
  local e = raw ~= '' and parse_entry(raw, i - 1, mo)
  if e and e.compact and string.sub(e.fields[8], 1, 1) == '{' then
    local ok, t = pcall(cjson.decode, e.fields[8])
    local note = ok and type(t) == 'table' and bare_note(t)
    if note then
      e.fields[8] = note
      redis.call('LSET', key, i - 1, table.concat(e.fields, '|'))
      changed = changed + 1
    end
  end
end
return changed
