-- The figures: a ledger per community, monthly sums and the businesses
-- taking part each month. Its helpers go with the scripts that use them (store/luaload.go).
--
-- ledger:YYYY-MM     list, append-only: one entry per pledge write in that
--                    UTC month, "at|kind|pledge|business|theme|amount|who|
--                    extra" (compact, see parse_entry: at in the month in
--                    base 36, kind by its letter, ledger_kinds, business
--                    '' for the pledge's (after 2cc2921), the theme by
--                    slot, who '' for the pledge's maker; amount as
--                    the write changed the theme's totals: the target made
--                    or withdrawn, the progress logged, a correction's
--                    difference; extra what the history event says besides,
--                    event_extra). Pledges' histories (pledge_log, through
--                    the pledge's lg pointers), /audit, the digest, the
--                    edges of rolling periods and the businesses of a
--                    period read it. A deleted business's entries are
--                    emptied in place.
-- sums:YYYY-MM       hash FIELD:THEME -> the sum of the pledges' atoms
--                    (pledge_atoms) dated in that month; and the month's
--                    businesses, bitmaps as SETBIT writes them (bit N is
--                    bit N%8, most significant first, of byte N/8): field
--                    '~' bit N when business N wrote in the month, '~SLOT'
--                    when it wrote about a pledge of the theme in SLOT (a
--                    period's businesses are a BITOP OR and a BITCOUNT).
--                    Fields, not keys of their own (bizbits:YYYY-MM and
--                    bizthemes:YYYY-MM up to release monthly-bits-2026-12,
--                    store.MigrateMonthBits): a small community's month
--                    paid a key's overhead for a few bytes of bits.
-- months             zset of the months holding any of these, by YYYYMM.
-- theme-slots        hash THEME -> SLOT (0..31, given on first use; -1 when
--                    all are taken: its businesses are counted from the
--                    ledger), '#' -> how many were given.
--
-- A pledge's figures are its atoms {at, field, theme, value}, computed from
-- what the pledge is now, so an edit, a correction, a reopening or a
-- withdrawal rewrites the past months it touches instead of adding a late
-- adjustment. Fields: m made (1), c committed (the target), d delivered
-- (each progress entry at its time, corrections applied), x closed (1, when
-- done or lapsed), cx and dx the target and the delivered total at the
-- close, dn done, lp lapsed, wd withdrawn; for a pledge naming a partner
-- (pt), each d again as dv (confirmed), da (awaiting confirmation) or dq
-- (queried) by the entry's state now (cf, entry_states), and at the close
-- xv, xa and xq the delivered total in each state (self-reported is d less
-- the three, so a pledge without a partner adds no atom for it). A
-- withdrawn pledge has only its
-- wd atom: it counts nowhere else, in any period. A rate pledge has no c, d,
-- cx or dx (its values are never summed): rm made (1), rx closed (1). A
-- rate theme counts businesses by their latest values, so the first of a
-- business's pledges in the theme (rate_members) carries the business's
-- atoms there (business_rate_atoms): bm (1) when its first pledge there was
-- made, bx (1) when the last closed (all closed); 1 of the kind of the
-- value it holds (rate_kind: the value, who vouches for it, whether it
-- meets the target of the pledge it was reported on) from the time it took
-- it until the next, and at its close 1 of that kind with R for r. For a
-- period [s, e) and C(t) the sum of atoms before t:
--   made = C(e).m - C(s).m         live = C(e).m - C(s).x
--   committed = C(e).c - C(s).cx   to date = C(e).d - C(s).dx
--   delivered = C(e).d - C(s).d    active at e = C(e).m - C(e).x
--   confirmed in period = C(e).dv - C(s).dv, to date C(e).dv - C(s).xv
--   (awaiting with a, queried with q; self-reported the rest)
--   rate pledges = C(e).rm - C(s).rx   their businesses = C(e).bm - C(s).bx
--   businesses holding value K at e = C(e).rK - C(s).RK (one closed
--   before s held its last value: reports are logged only while a pledge
--   is active)
-- (store/summary.go). Writes keep the sums by the difference between the
-- atoms before and after (figures_move); a pledge made or progress logged
-- adds its one or two atoms directly.

-- civil turns unix seconds into a UTC year, month and day (Howard
-- Hinnant's days-to-civil algorithm; Lua in Redis has no os.date).
local function civil(unix)
  local z = math.floor(unix / 86400) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp + 3
  if mp >= 10 then m = mp - 9 end
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m, d
end

-- os_time_utc is the inverse of civil: unix seconds at 00:00 UTC.
local function os_time_utc(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return (era * 146097 + doe - 719468) * 86400
end

-- unix_of reads the UTC time of an RFC 3339 string ("2026-11-24T10:00:00Z",
-- as history entries carry) as unix seconds; 0 when it is not one.
local function unix_of(at)
  local y, mo, d, h, mi, s = string.match(at or '', '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)')
  if not y then return 0 end
  return os_time_utc(tonumber(y), tonumber(mo), tonumber(d)) + tonumber(h) * 3600 + tonumber(mi) * 60 + tonumber(s)
end

-- rfc3339 writes unix seconds as history entries date them.
local function rfc3339(unix)
  unix = tonumber(unix) or 0
  local y, m, d = civil(unix)
  local s = unix % 86400
  return string.format('%04d-%02d-%02dT%02d:%02d:%02dZ', y, m, d, math.floor(s / 3600), math.floor(s / 60) % 60, s % 60)
end

-- month_of names the UTC month of a unix time, "2026-11", and gives its
-- score in the months index, 202611.
local function month_of(unix)
  local y, m = civil(tonumber(unix) or 0)
  return string.format('%04d-%02d', y, m), y * 100 + m
end

-- month_span is the start of a month and of the next (unix).
local function month_span(mo)
  local y, m = string.match(mo, '^(%d+)-(%d+)$')
  y, m = tonumber(y), tonumber(m)
  local ny, nm = y, m + 1
  if nm > 12 then ny, nm = y + 1, 1 end
  return os_time_utc(y, m, 1), os_time_utc(ny, nm, 1)
end

-- months_between lists the months overlapping [from, to).
local function months_between(from, to)
  local out = {}
  if to <= from then return out end
  local y, m = civil(from)
  local ey, em = civil(to - 1)
  while y < ey or (y == ey and m <= em) do
    out[#out + 1] = string.format('%04d-%02d', y, m)
    m = m + 1
    if m > 12 then y, m = y + 1, 1 end
  end
  return out
end

-- area_scopes lists the scopes a business counts in for an area filter:
-- 'all', its postcode district ('area:CB1') and area ('area:CB'). Pass its
-- postcode when already read.
local function area_scopes(biz, pc)
  local scopes = {'all'}
  if pc == nil then pc = redis.call('HGET', base .. 'business:' .. biz, 'postcode') end
  if pc and pc ~= '' then
    local district = string.match(pc, '^(%S+)')
    local area = string.match(pc, '^(%a+)')
    if district then scopes[#scopes + 1] = 'area:' .. district end
    if area and area ~= district then scopes[#scopes + 1] = 'area:' .. area end
  end
  return scopes
end

-- decimal writes an amount (a number, or a sum of them) for HINCRBYFLOAT
-- with 14 significant digits, as Lua prints numbers. Passed as a number it
-- would go over as %.17g (12.8 as 12.800000000000001), and adding 12.8
-- then taking 12.800000000000001 away would leave -0.000000000000001.
local function decimal(x)
  return string.format('%.14g', tonumber(x) or 0)
end

-- The ledger's kinds, stored by letter.
local ledger_kinds = {c = 'created', p = 'progress', d = 'done', w = 'withdrawn', l = 'lapsed', e = 'edited',
  m = 'moved', r = 'reopened', k = 'corrected', s = 'snoozed', v = 'confirmed', q = 'queried',
  y = 'replied', o = 'outcome', u = 'unlinked'}
local ledger_letters = {}
for letter, kind in pairs(ledger_kinds) do ledger_letters[kind] = letter end

-- ledger_raw caches the months' ledger lists a script has read.
local ledger_raw = {}

-- Entries written after release 0361339 are compact, their kind's letter
-- in capitals: at is the seconds since their month's start in base 36,
-- the theme its slot in theme-slots as '#SLOT' (by name past 32 slots),
-- who is '' for the pledge's maker (its created_by), the business '' for
-- the pledge's (since after 2cc2921: pledge_business), and a progress
-- entry's extra leaves out the amount when it is the entry's own. Older
-- entries (a small letter) carry unix seconds, the theme's name and who in
-- full. Both read alike: the same pledge's entries repeated its maker's
-- identity and its theme's name, half a ledger entry's bytes.

-- to36 writes a whole number >= 0 in base 36.
local function to36(x)
  local digits, out = '0123456789abcdefghijklmnopqrstuvwxyz', ''
  repeat
    local d = x % 36
    out = string.sub(digits, d + 1, d + 1) .. out
    x = (x - d) / 36
  until x == 0
  return out
end

-- month_start caches when each month starts (unix).
local month_starts = {}
local function month_start(mo)
  local s = month_starts[mo]
  if not s then
    s = month_span(mo)
    month_starts[mo] = s
  end
  return s
end

-- slot_themes maps '#SLOT' back to the theme (theme-slots read once).
local slot_themes
local function slot_theme(ref)
  if not slot_themes then
    slot_themes = {}
    local h = redis.call('HGETALL', base .. 'theme-slots')
    for i = 1, #h, 2 do
      if h[i] ~= '#' then slot_themes['#' .. h[i + 1]] = h[i] end
    end
  end
  return slot_themes[ref] or ref
end

-- pledge_business is pledge n's business, read once a script: a compact
-- entry written after 2cc2921 leaves it out ('') when it is its pledge's
-- (a pledge never changes business, and a deleted business's entries are
-- emptied), 2 to 5 bytes an entry.
local businesses_of = {}
local function pledge_business(n)
  local b = businesses_of[n]
  if not b then
    b = redis.call('HGET', base .. 'pledge:' .. n, 'business') or ''
    businesses_of[n] = b
  end
  return b
end

-- parse_entry reads one ledger entry of month mo (index: its place in the
-- month's list, from 0); nil for a deleted business's emptied entry. Its
-- who is '' for the pledge's maker: entry_who names them.
local function parse_entry(raw, index, mo)
  local f = {string.match(raw, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')}
  if not f[1] then return nil end
  local k = string.lower(f[2])
  local compact = k ~= f[2]
  local at, theme = tonumber(f[1]) or 0, f[5]
  if compact then
    at = month_start(mo) + (tonumber(f[1], 36) or 0)
    if string.sub(theme, 1, 1) == '#' then theme = slot_theme(theme) end
  end
  local extra = f[8]
  -- (a note alone is kept bare: entry_raw)
  if compact and extra ~= '' and extra ~= '-' and string.sub(extra, 1, 1) ~= '{' then
    extra = cjson.encode({note = extra})
  end
  local biz = f[4]
  if compact and biz == '' then biz = pledge_business(f[3]) end
  return {at = at, kind = ledger_kinds[k] or k, n = f[3], biz = biz, theme = theme, amount = f[6],
    who = f[7], extra = extra, index = index, raw = raw, fields = f, compact = compact}
end

-- entry_at is when a raw entry of month mo was written, without parsing
-- the rest.
local function entry_at(raw, mo)
  local at, k = string.match(raw, '^([^|]*)|(%a)')
  if not at then return 0 end
  if string.upper(k) == k then return month_start(mo) + (tonumber(at, 36) or 0) end
  return tonumber(at) or 0
end

-- entry_who is who made entry e: its maker's identity for a compact
-- entry's '' (the pledge's created_by, read once a script).
local makers = {}
local function entry_who(e)
  if e.who ~= '' or not e.compact then return e.who end
  local m = makers[e.n]
  if not m then
    m = redis.call('HGET', base .. 'pledge:' .. e.n, 'created_by') or ''
    makers[e.n] = m
  end
  return m
end

-- bare_note is the note of an entry's decoded extra t when it says a note
-- and nothing else, or nil: such a note, the most common extra, is kept
-- bare, without its JSON ({"note":...}, 11 bytes an entry), and
-- parse_entry puts the JSON back. One that could read as JSON or as an
-- edit's '-' keeps it.
local function bare_note(t)
  local note = t.note
  if type(note) == 'string' and next(t, next(t)) == nil and note ~= '' and note ~= '-' and
    string.sub(note, 1, 1) ~= '{' then
    return note
  end
end

-- entry_raw writes a ledger entry for month mo: compact (see above).
-- slot: the theme's in theme-slots; maker: the pledge's created_by.
local function entry_raw(mo, at, kind, n, biz, theme, amount, who, extra, slot, maker, pbiz)
  if slot and slot >= 0 then theme = '#' .. slot end
  if who == maker then who = '' end
  if pbiz and tostring(biz) == pbiz then biz = '' end
  if extra ~= '' and extra ~= '-' then
    local ok, t = pcall(cjson.decode, extra)
    if ok and type(t) == 'table' then
      if kind == 'progress' and tonumber(t.amount) == tonumber(amount) then
        t.amount = nil
        extra = next(t) == nil and '' or cjson.encode(t)
      end
      extra = bare_note(t) or extra
    end
  end
  return table.concat({to36(math.max(0, math.floor(at - month_start(mo)))), string.upper(ledger_letters[kind] or kind), n,
    biz, theme, amount, who, extra}, '|')
end

-- A pledge's field lg (a long value: long_get; lg_append writes it)
-- points at its ledger entries, oldest first, as month runs: "8v:c.14,91:7"
-- is entries 12 and 40 of ledger:2026-08, then entry 7 of ledger:2026-10,
-- months counted from January 2000 and entries in base 36. Runs written
-- up to 0361339 name the month in full and the entries in
-- decimal ("2026-08:12.40") and read as before.
local function ptr_month(mo)
  local y, m = string.match(mo, '^(%d+)-(%d+)$')
  if not y or tonumber(y) < 2000 then return nil end
  return to36((tonumber(y) - 2000) * 12 + tonumber(m) - 1)
end

-- log_pointers reads a pledge's lg (both the base-36 and the older
-- decimal form) into a list of {month 'YYYY-MM', index in that month's ledger}.
local function log_pointers(lg)
  local out = {}
  for mo, idxs in string.gmatch(lg or '', '([^,:]+):([^,]+)') do
    local base36 = not string.find(mo, '-', 1, true)
    if base36 then
      local v = tonumber(mo, 36) or 0
      mo = string.format('%04d-%02d', 2000 + math.floor(v / 12), v % 12 + 1)
    end
    for i in string.gmatch(idxs, '[^.]+') do out[#out + 1] = {mo, tonumber(i, base36 and 36 or 10)} end
  end
  return out
end

-- log_suffix is what to add to pointers lg for entry idx of month mo.
local function log_suffix(lg, mo, idx)
  local pm = ptr_month(mo)
  if pm then mo, idx = pm, to36(idx) end
  if not lg or lg == '' then return mo .. ':' .. idx end
  if string.match(lg, '([^,:]+):[^,]*$') == mo then return '.' .. idx end
  return ',' .. mo .. ':' .. idx
end

-- pledge_log is pledge n's history from the ledger, oldest first: each
-- entry the event as Go wrote it ({at, by, kind} and what else it said,
-- e.g. amount, note, changes, entry), without its creation (the pledge's
-- own fields say that) or the ledger's second entries of one write.
local function pledge_log(n)
  local out = {}
  local key = base .. 'pledge:' .. n
  local lg = long_get(key, 'lg')
  if not lg then
    -- written before the ledger, not migrated yet (MigrateFigures)
    for _, raw in ipairs(redis.call('LRANGE', key .. ':log', 0, -1)) do
      local ok, e = pcall(cjson.decode, raw)
      if ok and type(e) == 'table' then out[#out + 1] = e end
    end
    return out
  end
  for _, ptr in ipairs(log_pointers(lg)) do
    local e = parse_entry(redis.call('LINDEX', base .. 'ledger:' .. ptr[1], ptr[2]) or '', ptr[2], ptr[1])
    if e and e.kind ~= 'created' and e.extra ~= '-' then
      local ev = {}
      if e.extra ~= '' then
        local ok, t = pcall(cjson.decode, e.extra)
        if ok and type(t) == 'table' then ev = t end
      end
      -- (a compact progress entry's amount is the entry's when not said)
      if e.compact and e.kind == 'progress' and ev.amount == nil then ev.amount = tonumber(e.amount) end
      ev.at, ev.by, ev.kind = rfc3339(e.at), entry_who(e), e.kind
      out[#out + 1] = ev
    end
  end
  return out
end

-- event_extra is what a history event says besides at, by and kind, as
-- the ledger keeps it ('' for nothing).
local function event_extra(json)
  local ok, e = pcall(cjson.decode, json or '')
  if not ok or type(e) ~= 'table' then return '' end
  e.at, e.by, e.kind = nil, nil, nil
  if next(e) == nil then return '' end
  return cjson.encode(e)
end

-- progress_entries lists pledge n's progress entries as they stand, each
-- {at = RFC 3339 time, by = actor, amount = after corrections}, oldest
-- first; lua/correct.lua numbers them the same way.
local function progress_entries(n)
  local entries = {}
  for _, e in ipairs(pledge_log(n)) do
    if e.kind == 'progress' then
      entries[#entries + 1] = {at = e.at, by = e.by, amount = tonumber(e.amount) or 0}
    elseif e.kind == 'corrected' and entries[tonumber(e.entry) or 0] then
      entries[tonumber(e.entry)].amount = tonumber(e.amount) or 0
    end
  end
  return entries
end

-- pick_entry is pledge n's progress entries and the number of the one a
-- correction or a partner's check is about: k, or for 0 the latest not
-- struck. Else nil, nil and the error to return.
local function pick_entry(n, k)
  local entries = progress_entries(n)
  if #entries == 0 then return nil, nil, fail('noentries', n) end
  if k == 0 then
    k = #entries
    while k > 1 and entries[k].amount == 0 do k = k - 1 end
  end
  if k < 1 or k > #entries then return nil, nil, fail('noentry', k .. ' ' .. #entries) end
  return entries, k
end

-- A pledge's field cf keeps what its partner said of each progress entry,
-- entry number then c (confirmed) or q (queried), ascending: "1c3q". An
-- entry not there awaits confirmation. A few bytes a pledge, where a hash
-- a pledge would cost a key; the ledger has who said it, when and why.
local function entry_states(cf)
  local t = {}
  for k, st in string.gmatch(cf or '', '(%d+)([cq])') do t[tonumber(k)] = st end
  return t
end

-- states_field writes entry_states' table back as cf ('' for none).
local function states_field(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  local out = {}
  for _, k in ipairs(ks) do out[#out + 1] = k .. t[k] end
  return table.concat(out)
end

-- vouched_letters names an entry's state in its atoms' fields (dv, xv):
-- v confirmed, q queried, a awaiting confirmation.
local vouched_letters = {c = 'v', q = 'q', a = 'a'}

-- rate_kind names a rate pledge's reported value v in its atoms' fields:
-- r, who vouches for it (vouched_letters, or s: self-reported), 1 when it
-- meets the pledge's target (else 0), '=' and the value, as "rv1=87.5".
-- A period counts the pledges holding each value at its end, so its
-- median and range come from sums, never a sum of values (pledge_atoms).
local function rate_kind(v, st, target)
  local met = (target > 0 and v >= target) and '1' or '0'
  return 'r' .. st .. met .. '=' .. decimal(v)
end

-- note_month keeps the months index, once per month per script call.
local noted_months = {}
local function note_month(mo, score)
  if noted_months[mo] then return end
  noted_months[mo] = true
  redis.call('ZADD', base .. 'months', score, mo)
end

-- rate_holdings lists what a rate pledge held over time, {at, kind} from
-- each time it took a value (rate_kind) on. At any time it holds the value
-- of the latest entry in logging order (not struck) of those dated up to
-- then, and none before it was made: its entries in order of date (never
-- before its making), each taking over when it was logged after the one
-- held. A replica's clock behind can date an entry before the one logged
-- ahead of it.
local function rate_holdings(n, created, target, states)
  local reports, out = {}, {}
  for k, e in ipairs(progress_entries(n)) do
    if e.amount ~= 0 then
      reports[#reports + 1] = {at = math.max(created, unix_of(e.at)), k = k,
        kind = rate_kind(e.amount, states and vouched_letters[states[k] or 'a'] or 's', target)}
    end
  end
  table.sort(reports, function(a, b)
    if a.at ~= b.at then return a.at < b.at end
    return a.k < b.k
  end)
  local latest = 0
  for _, e in ipairs(reports) do
    if e.k > latest then
      latest = e.k
      out[#out + 1] = {at = e.at, kind = e.kind}
    end
  end
  return out
end

-- rate_members lists business biz's pledges now of rate theme theme, not
-- withdrawn, by number: the first carries the business's rate figures in
-- the theme (business_rate_atoms), so a sum over pledges counts each
-- business once. A script that writes nothing may keep them in
-- rate_memo (a table; nil, as writes leave it, keeps none): a summary
-- asks once for each of a business's pledges.
local rate_memo
local function rate_members(biz, theme)
  local memo = rate_memo and (biz .. '|' .. theme)
  if memo and rate_memo[memo] then return rate_memo[memo] end
  local out = {}
  for _, q in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
    local f = redis.call('HMGET', base .. 'pledge:' .. q, 'theme', 'measure', 'status')
    if f[1] == theme and f[2] == 'rate' and f[3] ~= 'withdrawn' then out[#out + 1] = tonumber(q) end
  end
  table.sort(out)
  if memo then rate_memo[memo] = out end
  return out
end

-- atom_inputs reads what pledge n's atoms follow.
local atom_fields = {'business', 'theme', 'target', 'status', 'created_at', 'closed_at', 'measure', 'updated_at',
  'pt', 'cf'}
local function atom_inputs(n)
  local p = redis.call('HMGET', base .. 'pledge:' .. n, unpack(atom_fields))
  local created = tonumber(p[5]) or 0
  -- (pledges closed before closed_at was kept are dated by their last change)
  return {biz = p[1], theme = p[2], target = tonumber(p[3]) or 0, status = p[4] or 'active', created = created,
    closed = tonumber(p[6]) or tonumber(p[8]) or created, rate = p[7] == 'rate', states = p[9] and entry_states(p[10])}
end

-- business_rate_atoms adds (add) a business's figures in a rate theme,
-- from its pledges there (members, rate_members): bm when the first was
-- made and, once all are closed, bx at the last close (it counts as
-- taking part between, even while it has none active); 1 of the kind it
-- holds, from each time it changes, the business holding at any time the
-- value of whichever of its pledges took one last (the higher numbered,
-- at the same second); and at its close 1 of that kind with R for r. So
-- a period counts businesses, each once at its latest value, however
-- many pledges it reports on.
local function business_rate_atoms(members, add)
  local made, closed, open, changes = nil, 0, false, {}
  for _, q in ipairs(members) do
    local p = atom_inputs(q)
    if not made or p.created < made then made = p.created end
    if p.status == 'active' then open = true elseif p.closed > closed then closed = p.closed end
    for i, h in ipairs(rate_holdings(q, p.created, p.target, p.states)) do
      changes[#changes + 1] = {at = h.at, q = q, i = i, kind = h.kind}
    end
  end
  if not made then return end
  add(made, 'bm', 1)
  table.sort(changes, function(a, b)
    if a.at ~= b.at then return a.at < b.at end
    if a.q ~= b.q then return a.q < b.q end
    return a.i < b.i
  end)
  local held
  for _, c in ipairs(changes) do
    if c.kind ~= held then
      if held then add(c.at, held, -1) end
      add(c.at, c.kind, 1)
      held = c.kind
    end
  end
  if not open then
    add(closed, 'bx', 1)
    if held then add(closed, 'R' .. string.sub(held, 2), 1) end
  end
end

-- pledge_atoms lists pledge n's figures as it stands (see the top), and
-- for the first of its business's pledges in a rate theme (rate_members)
-- the business's figures there; own leaves those out. A summary of an area
-- calls it for each of the area's pledges, so it reads them from one
-- table (a pledge's fields are read from its packed string once a call,
-- pledge_load).
local function pledge_atoms(n, own)
  local p = atom_inputs(n)
  -- (n and biz say whose they are: figures_move keeps area sums by them)
  local out = {n = n, biz = p.biz}
  if not p.biz then return out end
  local theme, status, created, closed = p.theme, p.status, p.created, p.closed
  local function add(at, field, v)
    if v ~= 0 then out[#out + 1] = {at, field, theme, v} end
  end
  if status == 'withdrawn' then
    add(closed, 'wd', 1)
    return out
  end
  local total, target = not p.rate, p.target
  add(created, 'm', 1)
  local delivered, by = 0, {v = 0, a = 0, q = 0}
  if not total then
    add(created, 'rm', 1)
    if not own then
      local members = rate_members(p.biz, theme)
      if members[1] == tonumber(n) then business_rate_atoms(members, add) end
    end
  else
    add(created, 'c', target)
    for k, e in ipairs(progress_entries(n)) do
      local at = unix_of(e.at)
      add(at, 'd', e.amount)
      delivered = delivered + e.amount
      if p.states then
        local st = vouched_letters[p.states[k] or 'a']
        add(at, 'd' .. st, e.amount)
        by[st] = by[st] + e.amount
      end
    end
  end
  if status ~= 'active' then
    add(closed, 'x', 1)
    add(closed, status == 'done' and 'dn' or 'lp', 1)
    if not total then
      add(closed, 'rx', 1)
    else
      add(closed, 'cx', target)
      add(closed, 'dx', delivered)
      for _, st in ipairs({'v', 'a', 'q'}) do add(closed, 'x' .. st, by[st]) end
    end
  end
  return out
end

-- theme_slot is the theme's bits, field '~SLOT' of sums:*, given on first use with
-- create; nil for a theme nothing was written about.
local function theme_slot(theme, create)
  local k = base .. 'theme-slots'
  local s = redis.call('HGET', k, theme)
  if s or not create then return tonumber(s) end
  local n = redis.call('HINCRBY', k, '#', 1) - 1
  if n > 31 then n = -1 end
  redis.call('HSET', k, theme, n)
  if slot_themes and n >= 0 then slot_themes['#' .. n] = theme end
  return n
end

-- A month's sums name a theme by its slot, FIELD:#SLOT (by name past
-- 32 slots): a month holds a field per kind of figure and theme, and the
-- names were most of its bytes. Fields written up to release 0361339
-- name it in full; sums_read gives both as FIELD:THEME, and they add up.
-- (family 'day:' reads a day's sums, mo then the day)
local function sums_read(mo, district, family)
  local key = base .. (family or 'sums:') .. mo
  if district then key = base .. 'dsums:' .. district .. ':' .. mo end
  local h, out = redis.call('HGETALL', key), {}
  for i = 1, #h, 2 do
    local f = h[i]
    local field, ref = string.match(f, '^([^:]+):(#%d+)$')
    if field then f = field .. ':' .. slot_theme(ref) end
    -- (not the month's businesses, '~' and '~SLOT': see mark_bits)
    if string.sub(f, 1, 1) ~= '~' then
      out[#out + 1] = f
      out[#out + 1] = h[i + 1]
    end
  end
  return out
end

-- sum_add adds by to FIELD:THEME of the sums in hash key (a month's, a
-- district's month's or a day's), the theme by its slot; a field back at
-- zero goes, so a hash holds only what it counts.
local function sum_add(key, field, by)
  local kind, theme = string.match(field, '^([^:]+):(.*)$')
  local slot = kind and theme_slot(theme, true)
  if slot and slot >= 0 then field = kind .. ':#' .. slot end
  local v = tonumber(redis.call('HINCRBYFLOAT', key, field, decimal(by)))
  if v and math.abs(v) < 1e-9 then redis.call('HDEL', key, field) end
end

-- sums_add adds by to FIELD:THEME of month mo's sums (sum_add).
local function sums_add(mo, score, field, by)
  if by == 0 then return end
  sum_add(base .. 'sums:' .. mo, field, by)
  note_month(mo, score)
end

-- Area sums: a large community (store.AreaSumsFrom pledges; a small one
-- reads its area's pledges faster than it would pay for these) keeps the
-- monthly sums per postcode district as well, dsums:DISTRICT:YYYY-MM
-- (fields as sums:*), the districts in the set districts and the
-- businesses of each in the bitmap dbits:DISTRICT, so a summary of an
-- area or district reads sums, not every pledge there. area-sums is the
-- highest pledge number they count up to (all pledges once it reaches
-- seq:pledge; lua/area_sums.lua fills them in, and a pledge made then is
-- added as it is made); absent, they are not kept.
local area_upto_cache
local function area_upto()
  if area_upto_cache == nil then area_upto_cache = tonumber(redis.call('GET', base .. 'area-sums') or '') or false end
  return area_upto_cache
end

-- area_admit counts pledge n in the area sums from now on when every
-- pledge before it is (a new pledge, or the next one a fill reaches).
local function area_admit(n)
  local upto = area_upto()
  if upto and upto == n - 1 then
    redis.call('SET', base .. 'area-sums', n)
    area_upto_cache = n
  end
end

-- district_of is business biz's postcode district ('CB1'), false for none.
local districts = {}
local function district_of(biz)
  biz = tostring(biz)
  local d = districts[biz]
  if d == nil then
    local pc = redis.call('HGET', base .. 'business:' .. biz, 'postcode')
    d = pc and string.match(pc, '^(%S+)') or false
    districts[biz] = d
  end
  return d
end

-- pledge_district is the district whose sums pledge n (of business biz)
-- counts in, or nil.
local function pledge_district(n, biz)
  local upto = area_upto()
  if not upto or not biz or (tonumber(n) or 0) > upto then return nil end
  return district_of(biz) or nil
end

-- dsums_add adds by to FIELD:THEME of month mo's sums of district d, and
-- marks the business (biz, when given) in the district's bits.
local known_districts = {}
local function dsums_add(d, mo, field, by, biz)
  if not known_districts[d] then
    known_districts[d] = true
    redis.call('SADD', base .. 'districts', d)
  end
  if biz and tonumber(biz) then redis.call('SETBIT', base .. 'dbits:' .. d, tonumber(biz), 1) end
  if by == 0 then return end
  sum_add(base .. 'dsums:' .. d .. ':' .. mo, field, by)
end

-- Day sums: a large community (from as many pledges as keep area sums:
-- store.AreaSumsFrom) keeps the sums of each UTC day as well,
-- day:YYYY-MM-DD (fields as sums:*), and the businesses that wrote that
-- day in the bitmap daybits:YYYY-MM-DD (as a month's bits '~', for a period's
-- businesses), so a rolling period, whose edges fall inside months,
-- adds whole days' sums instead of reading the ledger of its edge months
-- and the pledges written there (lua/summary.lua). day-sums is the
-- highest pledge number they count up to, as area-sums is for the area
-- sums (lua/day_sums.lua fills them in); absent, they are not kept.
local day_upto_cache
local function day_upto()
  if day_upto_cache == nil then day_upto_cache = tonumber(redis.call('GET', base .. 'day-sums') or '') or false end
  return day_upto_cache
end

-- day_admit counts pledge n in the day sums from now on when every
-- pledge before it is (a new pledge, or the next one a fill reaches).
local function day_admit(n)
  local upto = day_upto()
  if upto and upto == n - 1 then
    redis.call('SET', base .. 'day-sums', n)
    day_upto_cache = n
  end
end

-- day_of names the UTC day of a unix time, "2026-11-24".
local function day_of(unix)
  local y, m, d = civil(tonumber(unix) or 0)
  return string.format('%04d-%02d-%02d', y, m, d)
end

-- days_add adds by to FIELD:THEME of day's sums when pledge n counts in
-- them.
local function days_add(n, day, field, by)
  local upto = day_upto()
  if not upto or (tonumber(n) or 0) > upto or by == 0 then return end
  sum_add(base .. 'day:' .. day, field, by)
end

-- day_bit marks business biz as having written on the day of at, when
-- day sums are kept (a fill marks the earlier writes).
local function day_bit(biz, at)
  local b = tonumber(biz)
  if b and day_upto() then redis.call('SETBIT', base .. 'daybits:' .. day_of(at), b, 1) end
end

-- in_area reports whether business biz counts in area ('CB1' or 'CB', as
-- area_scopes gives them).
local function in_area(biz, area)
  local d = district_of(biz)
  return d and (d == area or string.match(d, '^(%a+)') == area) or false
end

-- atom_diff nets atoms before (taken away) against atoms after (added),
-- one total per tag, month (day, with days) and field, in first-seen
-- order; a nil tag leaves its side out. {tag, mo, score, field, v} for
-- each total not zero (mo the day, with days).
local function atom_diff(before, tag_before, after, tag_after, days)
  local diff, order = {}, {}
  local function acc(list, tag, sign)
    if not tag then return end
    for _, a in ipairs(list) do
      local mo, score
      if days then mo = day_of(a[1]) else mo, score = month_of(a[1]) end
      local k = tag .. '|' .. mo .. '|' .. a[2] .. ':' .. a[3]
      if not diff[k] then
        diff[k] = {tag = tag, mo = mo, score = score, field = a[2] .. ':' .. a[3], v = 0}
        order[#order + 1] = k
      end
      diff[k].v = diff[k].v + sign * a[4]
    end
  end
  acc(before, tag_before, -1)
  acc(after, tag_after, 1)
  local out = {}
  for _, k in ipairs(order) do
    if math.abs(diff[k].v) > 1e-12 then out[#out + 1] = diff[k] end
  end
  return out
end

-- district_move applies the change from atoms before to atoms after to
-- the area sums of the pledge's district, when kept.
local function district_move(before, after)
  local dbefore = pledge_district(before.n, before.biz)
  local dafter = pledge_district(after.n, after.biz)
  for _, x in ipairs(atom_diff(before, dbefore, after, dafter)) do
    dsums_add(x.tag, x.mo, x.field, x.v, after.biz)
  end
end

-- day_move applies the change from atoms before to atoms after to the
-- day sums, when the pledge counts in them.
local function day_move(before, after)
  local n = after.n or before.n
  local upto = day_upto()
  if not upto or (tonumber(n) or 0) > upto then return end
  for _, x in ipairs(atom_diff(before, '', after, '', true)) do days_add(n, x.mo, x.field, x.v) end
end

-- figures_move applies the change from atoms before to atoms after to the
-- monthly sums, each month and field once (and to the area and day sums).
local function figures_move(before, after)
  district_move(before, after)
  day_move(before, after)
  for _, x in ipairs(atom_diff(before, '', after, '')) do
    sums_add(x.mo, x.score, x.field, x.v)
  end
end

-- figures_touched gives the atoms a write to pledge n may change, by pledge
-- number: n's, and those of the first of its business's pledges in n's
-- rate theme and in each of themes (rate_members: it carries the
-- business's rate figures, which any of them may change, and a write may
-- make another the first). Take them before the write and after it, with
-- the same themes, for touched_move.
local function figures_touched(n, themes)
  local out = {[tonumber(n)] = pledge_atoms(n)}
  local f = redis.call('HMGET', base .. 'pledge:' .. n, 'business', 'theme', 'measure', 'status')
  if not f[1] then return out end
  local ts = {}
  if f[3] == 'rate' then ts[f[2]] = true end
  for _, t in ipairs(themes or {}) do ts[t] = true end
  for t in pairs(ts) do
    local first = rate_members(f[1], t)[1]
    if first and not out[first] then out[first] = pledge_atoms(first) end
  end
  return out
end

-- touched_move applies the change between figures_touched before and
-- after a write. A pledge in one only lost or took over its business's
-- figures: its own are as they were (the write was to another).
local function touched_move(before, after)
  local ns = {}
  for q in pairs(before) do ns[#ns + 1] = q end
  for q in pairs(after) do if not before[q] then ns[#ns + 1] = q end end
  table.sort(ns)
  for _, q in ipairs(ns) do figures_move(before[q] or pledge_atoms(q, true), after[q] or pledge_atoms(q)) end
end

-- bit_set reports whether bit k (0 = the most significant) of byte b is set.
local function bit_set(b, k)
  return math.floor(b / 2 ^ (7 - k)) % 2 == 1
end


-- bits_with is bitmap s with bit n set (on) or clear, as SETBIT would
-- leave a string key: padded with zero bytes to reach it when set.
local function bits_with(s, n, on)
  local i, k = math.floor(n / 8) + 1, n % 8
  local v = string.byte(s, i) or 0
  if bit_set(v, k) == on then return s end
  if #s < i then s = s .. string.rep('\0', i - #s) end
  v = v + (on and 1 or -1) * 2 ^ (7 - k)
  return string.sub(s, 1, i - 1) .. string.char(v) .. string.sub(s, i + 1)
end

-- mark_bits marks business biz as taking part in the month of at, about
-- the theme: bits '~' and '~SLOT' of the month's sums, read and written
-- whole (a hash field has no SETBIT; a large community's month is a few KB
-- a field) and written only when a bit changes.
local function mark_bits(biz, theme, at)
  local b = tonumber(biz)
  if not b then return end
  local key, fields = base .. 'sums:' .. month_of(at), {'~'}
  day_bit(b, at)
  local slot = theme_slot(theme, true)
  if slot >= 0 then fields[2] = '~' .. slot end
  local old, set = redis.call('HMGET', key, unpack(fields)), {}
  for i, f in ipairs(fields) do
    local v = bits_with(old[i] or '', b, true)
    if v ~= old[i] then set[#set + 1] = f; set[#set + 1] = v end
  end
  if #set > 0 then redis.call('HSET', key, unpack(set)) end
end

-- ledger_append appends one write to the ledger and returns its month and
-- index there. who: the actor (ARGV[1] unless given); extra: what its
-- history event says besides at, by and kind (event_extra), '-' for a
-- write's second entries, which are no history event. A snooze is in the
-- history but no sign of the business taking part, nor is a partner's
-- confirmation or query (someone else's word about it).
-- A business's reply to a query is no write to any pledge of its either,
-- nor is a partner's outcome or its deletion.
local not_business = {snoozed = true, confirmed = true, queried = true, replied = true, outcome = true, unlinked = true}
local function ledger_append(kind, n, biz, theme, amount, at, who, extra)
  local mo, score = month_of(at)
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'created_by', 'business')
  local entry = entry_raw(mo, at, kind, n, biz, theme, amount, who or ARGV[1], extra or '-', theme_slot(theme, true),
    p[1], p[2])
  local idx = redis.call('RPUSH', base .. 'ledger:' .. mo, entry) - 1
  ledger_raw[mo] = nil
  note_month(mo, score)
  if not not_business[kind] then mark_bits(biz, theme, at) end
  return mo, idx
end

-- convert_old_log writes the history list an earlier release kept for
-- pledge n (pledge:N:log) into the ledger, dated as the list dates it,
-- with the amount the write moved its theme's totals by where the list
-- says (the target made, the progress logged, a correction's difference,
-- minus the target withdrawn; else 0), points lg at the entries and drops
-- the list. The figures migration calls it for every pledge, and a write
-- to a pledge it has not reached yet calls it first, so no history is
-- lost however the migration went. Nothing when lg is there already.
local function convert_old_log(n)
  local key = base .. 'pledge:' .. n
  if long_get(key, 'lg') then return end
  local p = redis.call('HMGET', key, 'business', 'theme', 'target', 'created_at', 'created_by')
  if not p[1] then return end
  local biz, theme, target = p[1], p[2], tonumber(p[3]) or 0
  local lg = ''
  local function put(kind, amount, at, who, extra)
    local mo, idx = ledger_append(kind, n, biz, theme, decimal(amount), at, who, extra)
    lg = lg .. log_suffix(lg, mo, idx)
  end
  put('created', target, tonumber(p[4]) or 0, p[5] or '', '')
  for _, raw in ipairs(redis.call('LRANGE', key .. ':log', 0, -1)) do
    local ok, e = pcall(cjson.decode, raw)
    if ok and type(e) == 'table' and type(e.at) == 'string' and type(e.kind) == 'string' then
      local amount = 0
      if e.kind == 'progress' then
        amount = tonumber(e.amount) or 0
      elseif e.kind == 'corrected' and type(e.changes) == 'table' then
        amount = (tonumber(e.amount) or 0) - (tonumber(e.changes.was) or 0)
      elseif e.kind == 'withdrawn' then
        amount = -target
      end
      put(e.kind, amount, unix_of(e.at), tostring(e.by or ''), event_extra(raw))
    end
  end
  local parts = long_fields('lg', lg)
  local count = #parts / 2
  if count > 1 then parts[#parts + 1] = 'lgn'; parts[#parts + 1] = count - 1 end
  redis.call('HSET', key, unpack(parts))
  redis.call('DEL', key .. ':log')
end

-- lg_append adds entry idx of month mo to pledge n's pointers, reading
-- and rewriting only their last part: lgn counts the parts after the
-- first, and a new part starts a new run (",9a:7"), so the parts
-- joined are the pointers and the last part alone names its month. The
-- cost of a write does not grow with the pledge's history.
-- h: the pledge's fields lg and lgn, as the caller read them.
local function lg_append(key, mo, idx, h)
  local n = tonumber(h[2]) or 0
  local name, last = 'lg', h[1]
  if n > 0 then
    name = 'lg' .. (n + 1)
    last = redis.call('HGET', key, name)
    -- (a count past the parts there are: start the missing part afresh,
    -- with its comma, rather than join the new pointer to nothing)
    if not last then
      redis.call('HSET', key, name, ',' .. log_suffix('', mo, idx))
      return
    end
  end
  local suffix = log_suffix(last, mo, idx)
  if not last then
    redis.call('HSET', key, 'lg', suffix)
  elseif #last + #suffix <= 64 then
    redis.call('HSET', key, name, last .. suffix)
  else
    redis.call('HSET', key, 'lg' .. (n + 2), ',' .. log_suffix('', mo, idx), 'lgn', n + 1)
  end
end

-- note_writer keeps, for someone who writes about pledge n of business biz
-- without being one of its people (an admin, a council member, a
-- coordinator), the pledge in their own index 'wrote' (person_add): erasing
-- them visits those pledges' entries (ledger_forget), where releases up to
-- members-wrote-2026-12 walked the whole ledger. A member, or one who left
-- (person:WHO:past), is found through the business already. A confirm
-- link's visitor ("link visitor NAME via confirm link") is no person: an
-- identity never holds a space, and their name must not outlive the
-- business's entries in people (delete_business.lua).
local function note_writer(who, n, biz)
  if who == '' or who == 'pledgebot' or who == 'erased' or string.find(who, ' ', 1, true) then return end
  local bkey = base .. 'business:' .. biz
  if folded_read('HEXISTS', bkey, '@', who) == 1 or folded_read('HEXISTS', bkey, '~', who) == 1 then return end
  person_add(who, 'wrote', n)
end

-- record writes one write of pledge n to the ledger and points the
-- pledge's lg at it (every entry of the pledge: its history, the second
-- entries of an edit, so deleting and erasing find them all).
local function record(kind, n, biz, theme, amount, at, who, extra)
  local key = base .. 'pledge:' .. n
  local h = redis.call('HMGET', key, 'lg', 'lgn')
  if kind ~= 'created' and not h[1] then
    convert_old_log(n)
    h = redis.call('HMGET', key, 'lg', 'lgn')
  end
  local mo, idx = ledger_append(kind, n, biz, theme, amount, at, who, extra)
  lg_append(key, mo, idx, h)
  note_writer(who, n, biz)
end

-- activity records a write as it happens: record, and the business's last
-- activity for "quiet for 4+ weeks" (business-seen). Only what people do
-- counts there: the bot's own writes (a lapse: who is 'pledgebot') and a
-- snooze do not make a business look active.
local function activity(kind, n, biz, theme, amount, at, who, extra)
  at = tonumber(at) or 0
  record(kind, n, biz, theme, amount, at, who, extra)
  if kind ~= 'snoozed' and who ~= 'pledgebot' then redis.call('ZADD', seen_key(biz), at, biz) end
end

-- ledger_entries reads a month of the ledger, or of it the entries dated
-- in [from, to), parsed (parse_entry), in the order written. A script reads
-- each month once, and parses only the entries of the window.
local function ledger_entries(mo, from, to)
  local raws = ledger_raw[mo]
  if not raws then
    raws = redis.call('LRANGE', base .. 'ledger:' .. mo, 0, -1)
    ledger_raw[mo] = raws
  end
  local out = {}
  for i, raw in ipairs(raws) do
    local at = from and entry_at(raw, mo)
    if raw ~= '' and (not from or (at >= from and at < to)) then
      out[#out + 1] = parse_entry(raw, i - 1, mo)
    end
  end
  return out
end

-- activity_range returns the ledger's entries with from <= time < to as
-- "i|kind|pledge|business|theme|amount" then the time, ordered by time
-- and, within a second, as written (i numbers the answer's entries).
local function activity_range(from, to)
  from, to = tonumber(from), tonumber(to)
  local evs = {}
  for _, mo in ipairs(months_between(from, to)) do
    for _, e in ipairs(ledger_entries(mo, from, to)) do
      do
        evs[#evs + 1] = {e.at, #evs, e.kind .. '|' .. e.n .. '|' .. e.biz .. '|' .. e.theme .. '|' .. e.amount}
      end
    end
  end
  table.sort(evs, function(a, b)
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  local out = {}
  for i, e in ipairs(evs) do
    out[#out + 1] = i .. '|' .. e[3]
    out[#out + 1] = string.format('%d', e[1])
  end
  return out
end


-- pledge_entries lists pledge n's ledger entries through its pointers:
-- {mo, idx, parsed entry or nil}.
local function pledge_entries(n)
  local out = {}
  for _, ptr in ipairs(log_pointers(long_get(base .. 'pledge:' .. n, 'lg'))) do
    out[#out + 1] = {ptr[1], ptr[2], parse_entry(redis.call('LINDEX', base .. 'ledger:' .. ptr[1], ptr[2]) or '', ptr[2], ptr[1])}
  end
  return out
end

-- activity_scrub empties the ledger entries of a business's pledges
-- (through their pointers: its cost follows what the business wrote) and
-- takes the business out of those months' bits; its pledges' sums are
-- taken back by the caller (figures_move). Call it before the pledges go.
local function activity_scrub(biz, pledges)
  local b = tonumber(biz)
  if not b then return end
  local months, days = {}, {}
  for _, n in ipairs(pledges) do
    for _, ptr in ipairs(pledge_entries(n)) do
      redis.call('LSET', base .. 'ledger:' .. ptr[1], ptr[2], '')
      months[ptr[1]] = true
      if ptr[3] and day_upto() then days[day_of(ptr[3].at)] = true end
      ledger_raw[ptr[1]] = nil
    end
  end
  for mo in pairs(months) do
    local key = base .. 'sums:' .. mo
    local h, set, gone = redis.call('HGETALL', key), {}, {}
    for i = 1, #h, 2 do
      if string.sub(h[i], 1, 1) == '~' then
        local v = bits_with(h[i + 1], b, false)
        if v == string.rep('\0', #v) then
          gone[#gone + 1] = h[i]
        elseif v ~= h[i + 1] then
          set[#set + 1] = h[i]; set[#set + 1] = v
        end
      end
    end
    if #set > 0 then redis.call('HSET', key, unpack(set)) end
    if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
  end
  for day in pairs(days) do
    local k = base .. 'daybits:' .. day
    redis.call('SETBIT', k, b, 0)
    if redis.call('BITCOUNT', k) == 0 then redis.call('DEL', k) end
  end
end

-- ledger_forget replaces a person by 'erased' in the ledger: in the
-- entries of their businesses' pledges and of the pledges they wrote about
-- as no member (their index 'wrote', note_writer), through the pledges'
-- pointers: what they own, never the whole ledger. A compact entry's maker
-- ('') is the pledge's created_by, which goes by 'erased' with them.
local function ledger_forget(who, bizs)
  local function forget(mo, e)
    if not e or entry_who(e) ~= who then return end
    if e.who == '' then
      redis.call('HSET', base .. 'pledge:' .. e.n, 'created_by', 'erased')
      makers[e.n] = 'erased'
      return
    end
    local f = e.fields
    f[7] = 'erased'
    redis.call('LSET', base .. 'ledger:' .. mo, e.index, table.concat(f, '|'))
    ledger_raw[mo] = nil
  end
  local pledges = person_members(who, 'wrote')
  for _, biz in ipairs(bizs) do
    for _, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do pledges[#pledges + 1] = n end
  end
  local seen = {}
  for _, n in ipairs(pledges) do
    if not seen[n] then
      seen[n] = true
      for _, ptr in ipairs(pledge_entries(n)) do forget(ptr[1], ptr[3]) end
    end
  end
end

-- set_status moves pledge n between statuses and its figures with it. now
-- (unix seconds) dates a close; scripts that cannot pass it get the
-- server's clock.
local function set_status(n, from, to, now)
  if not now then now = redis.call('TIME')[1] end
  local before = figures_touched(n)
  redis.call('HSET', base .. 'pledge:' .. n, 'status', to)
  if to ~= 'active' then
    redis.call('ZREM', due_key(n), n)
    redis.call('ZREM', updated_key(n), n)
  end
  if from == 'active' and to ~= 'active' then
    redis.call('HSET', base .. 'pledge:' .. n, 'closed_at', now)
  end
  touched_move(before, figures_touched(n))
end


-- need_met keeps need:N's met_at, when what is delivered against it (the
-- progress of its pledges not withdrawn, as need_read.lua sums it) first
-- reached its target: set then, cleared when a correction, withdrawal or
-- deletion takes it back below, so the digest can say which needs were
-- met in its week. Every script that changes what a pledge made against a
-- need delivers calls it after the write; nd nil (no need) does nothing.
local function need_met(nd, now)
  if not nd then return end
  local key = base .. 'need:' .. nd
  local h = redis.call('HMGET', key, 'target', 'met_at')
  local target = tonumber(h[1] or '')
  if not target then return end
  local delivered = 0
  for _, pn in ipairs(redis.call('SMEMBERS', key .. ':pledges')) do
    local p = redis.call('HMGET', base .. 'pledge:' .. pn, 'status', 'progress')
    if p[1] ~= 'withdrawn' then delivered = delivered + (tonumber(p[2] or '0') or 0) end
  end
  -- (a sum of decimals may fall short of the target by float noise; Go
  -- reads it at 12 significant digits, bot.UnitRound)
  local met = target > 0 and delivered >= target - target * 1e-12
  if met and not h[2] then
    redis.call('HSET', key, 'met_at', now or redis.call('TIME')[1])
  elseif not met and h[2] then
    redis.call('HDEL', key, 'met_at')
  end
end
