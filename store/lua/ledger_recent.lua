-- The ledger's entries as audit entries, newest first: pledge writes are
-- recorded there and nowhere else (lua/figures.lua), and Store.Audit merges
-- them with the audit list's other changes.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: months (the months holding figures)
-- KEYS[3]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, persons:*
-- ARGV[1]: business (0: all)
-- ARGV[2]: limit (0: all)
-- Returns: flat {at, kind, pledge, business, theme, amount, who, id, said}
-- per write, said being what a partner's confirmation or query says (its
-- history event's extra: entry and note), '' for other kinds: an edit's second entries (the theme it left, the progress it
-- moved) are left out.
local biz, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
-- Entries newest first: a business's through its pledges' pointers (what
-- it wrote, nothing else), the community's month by month.
local batches = {}
if biz > 0 then
  local es = {}
  for _, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
    for _, ptr in ipairs(pledge_entries(n)) do
      if ptr[3] then ptr[3].mo = ptr[1]; es[#es + 1] = ptr[3] end
    end
  end
  batches[1] = es
else
  local months = redis.call('ZRANGE', base .. 'months', 0, -1)
  for i = #months, 1, -1 do
    local es = ledger_entries(months[i])
    for _, e in ipairs(es) do e.mo = months[i] end
    batches[#batches + 1] = es
  end
end
local out, count = {}, 0
for _, es in ipairs(batches) do
  table.sort(es, function(a, b)
    if a.at ~= b.at then return a.at > b.at end
    if a.mo ~= b.mo then return a.mo > b.mo end
    return a.index > b.index
  end)
  for _, e in ipairs(es) do
    -- (an edit's second entries, '-', are the same change)
    if e.extra ~= '-' then
      local said = (e.kind == 'confirmed' or e.kind == 'queried') and e.extra or ''
      for _, v in ipairs({tostring(e.at), e.kind, e.n, e.biz, e.theme, e.amount, entry_who(e), e.mo .. ':' .. e.index, said}) do
        out[#out + 1] = v
      end
      count = count + 1
      if limit > 0 and count >= limit then return out end
    end
  end
end
return out
