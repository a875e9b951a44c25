-- Indexes, for one month of a community's ledger written before
-- members-wrote-2026-12, the pledges people wrote about without being one
-- of their business's people (note_writer in lua/figures.lua: their index
-- 'wrote' in people), so that erasing them visits those pledges' entries
-- instead of walking the whole ledger (ledger_forget). A month done twice
-- is harmless.
-- KEYS[1]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[2]: theme-slots (themes' slots in the bitmaps)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, persons:*
-- ARGV[1]: the month, YYYY-MM
-- Returns: how many entries it read.
local mo, n = ARGV[1], 0
for _, e in ipairs(ledger_entries(mo)) do
  if e and e.biz ~= '' then note_writer(entry_who(e), e.n, e.biz) end
  n = n + 1
end
return n
