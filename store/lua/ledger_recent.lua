-- The ledger's entries as audit entries, newest first: pledge writes are
-- recorded there and nowhere else (lua/figures.lua), and Store.Audit merges
-- them with the audit stream's other changes.
-- KEYS: the community's key base.
-- ARGV: business (0: all), limit (0: all)
-- Returns flat {at, kind, pledge, business, theme, amount, who, id} per
-- entry; an edit's entries (one per theme it touched, and the progress it
-- moved) count once.
local biz, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local months
if biz > 0 then
  months = business_months(biz)
else
  months = redis.call('ZRANGE', base .. 'months', 0, -1)
end
local out, n = {}, 0
for i = #months, 1, -1 do
  local mo = months[i]
  local es = {}
  for _, e in ipairs(ledger_entries(mo)) do
    if biz == 0 or tonumber(e.biz) == biz then es[#es + 1] = e end
  end
  table.sort(es, function(a, b)
    if a.at ~= b.at then return a.at > b.at end
    return a.index > b.index
  end)
  local last = ''
  for _, e in ipairs(es) do
    local kind = e.kind
    if kind == 'moved' then kind = 'edited' end
    local same = ''
    if kind == 'edited' then same = e.at .. '|' .. e.n end
    if same == '' or same ~= last then
      last = same
      for _, v in ipairs({tostring(e.at), kind, e.n, e.biz, e.theme, e.amount, e.who, mo .. ':' .. e.index}) do
        out[#out + 1] = v
      end
      n = n + 1
      if limit > 0 and n >= limit then return out end
    end
  end
end
return out
