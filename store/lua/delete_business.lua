-- Removes every key of a business and records that it was deleted, by whom
-- and when; the store then scrubs its entries from the audit trail
-- (audit_scrub.lua).
-- KEYS[1]: business:ARGV[4] (the business)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: audit (the audit list)
-- KEYS[4]: outbox-attempts (send attempts by notice)
-- KEYS[5]: nudge-prefs (people's nudge settings)
-- KEYS[6]: nudge-when (people's nudge times)
-- KEYS[7]: nudged (when people were last nudged)
-- KEYS[8]: need-nudges (people nudged of needs)
-- KEYS[9]: theme-slots (themes' slots in the bitmaps)
-- KEYS[10]: months (the months holding figures)
-- KEYS[11]: lapse-untold (lapsed pledges not yet told)
-- KEYS[12]: outcomes (pledges by latest outcome)
-- KEYS[13]: business-names (business names -> numbers)
-- KEYS[14]: s172s (decisions by date)
-- KEYS[15]: s172:review (decisions by review date)
-- KEYS[16]: s172:logged (decisions by logging time)
-- KEYS[17]: outbox (the notices to send)
-- KEYS[18]: outbox-dead (notices given up on)
-- KEYS[19]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[20]: area-sums (how far the area sums count)
-- KEYS[21]: districts (the districts with area sums)
-- KEYS[22]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, due:*, business-seen:*, idem:*, pledge:*, pledges:*, once:*, ledger:*, sums:*,
--   dbits:*, dsums:*, need:*, partner:*, person:*, persons:*, role:*, s172:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: business
-- ARGV[5]: its name's key in business-names as this release computes it (bot.NameKey)
-- Returns: the people it forgot (see below).
local actor, cfg, idem, biz = ARGV[1], ARGV[2], idem_key(ARGV[3], 'business-delete'), ARGV[4]
if replayed(idem, biz) then return {} end
local bkey = base .. 'business:' .. biz
if redis.call('EXISTS', bkey) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then return fail('forbidden', 'owner ' .. biz) end
local name = redis.call('HGET', bkey, 'name') or ''
local gone, texts = {}, {}
local pledges = redis.call('SMEMBERS', bkey .. ':pledges')
-- Its figures leave every month they counted in (read from its ledger
-- entries), then the entries are emptied through its pledges' pointers,
-- then the pledges go.
for i, n in ipairs(pledges) do
  gone[n] = true
  texts[#texts + 1] = long_get(base .. 'pledge:' .. n, 'text')
  figures_move(pledge_atoms(n), {})
end
-- Those who wrote about its pledges as none of its people (their index
-- 'wrote', note_writer) are pointed at them no more: read before
-- activity_scrub empties the entries.
for _, n in ipairs(pledges) do
  local writers = {}
  for _, ptr in ipairs(pledge_entries(n)) do
    local who = ptr[3] and entry_who(ptr[3])
    if who and who ~= '' and not writers[who] then
      writers[who] = true
      person_rem(who, 'wrote', n)
    end
  end
end
activity_scrub(biz, pledges)
local needs = {}
for i, n in ipairs(pledges) do
  -- Its nudge and lapse decisions (pledge:N:once), found by name.
  notices_drop(n)
  -- The partner it was made to lists it no more.
  local pt, nd = unpack(redis.call('HMGET', base .. 'pledge:' .. n, 'pt', 'nd'))
  if pt then redis.call('SREM', base .. 'partner:' .. pt .. ':pledges', n) end
  -- Nor the need it was made against.
  if nd then redis.call('SREM', base .. 'need:' .. nd .. ':pledges', n) end
  needs[#needs + 1] = nd
  redis.call('DEL', base .. 'pledge:' .. n, base .. 'pledge:' .. n .. ':log')
  redis.call('SREM', base .. 'lapse-untold', n)
  redis.call('ZREM', due_key(n), n)
  redis.call('ZREM', updated_key(n), n)
  redis.call('ZREM', base .. 'outcomes', n)
end
-- What it delivered no longer counts against the needs it pledged for.
for _, nd in ipairs(needs) do need_met(nd) end
-- Its people whose only tie to the community was this business (no other
-- business, no community partner, no community role) are forgotten below (forget_people), and the
-- store drops the audit entries naming them; the others keep what their
-- businesses and roles need.
local forgotten, forgotten_list = {}, {}
-- Members who left earlier (business:N:past) are its people too.
local people = redis.call('HKEYS', bkey .. ':members')
for _, who in ipairs(redis.call('SMEMBERS', bkey .. ':past')) do
  person_rem(who, 'past', biz)
  people[#people + 1] = who
end
for i, who in ipairs(people) do
  person_rem(who, '', biz)
  if not person_any(who, {'', 'partners', 'needs'}) and not forgotten[who] then
    local role = false
    for _, r in ipairs({'council', 'coordinator', 'admin'}) do
      role = role or redis.call('SISMEMBER', base .. 'role:' .. r, who) == 1
    end
    if not role then
      forgotten[who] = true
      forgotten_list[#forgotten_list + 1] = who

    end
  end
end
-- Free the names this business holds in business-names: the key of its
-- name as this release computes it (ARGV[5]); the one it kept when that
-- differed from its name's key at the migration (name_key, written up to
-- name-key-2026-12), its lowercased name (registered before skeletons) and
-- the skeleton Store.backfillNameKeys added for those (name_skel). Each
-- only while it names this business. When none does, the name keys were
-- computed otherwise when it was registered (bot.NameKey changed, e.g. a
-- newer confusables table) and nothing rekeyed them: find its entries by
-- number, a walk of this community's names, rather than leave its name
-- taken by a business that is gone.
local names, freed = base .. 'business-names', false
for _, k in ipairs({ARGV[5], redis.call('HGET', bkey, 'name_key') or '', string.lower(name),
    redis.call('HGET', bkey, 'name_skel') or ''}) do
  if k ~= '' and redis.call('HGET', names, k) == tostring(biz) then
    redis.call('HDEL', names, k)
    freed = true
  end
end
if not freed then
  local cursor = '0'
  repeat
    local page = redis.call('HSCAN', names, cursor, 'COUNT', 1000)
    cursor = page[1]
    for i = 1, #page[2], 2 do
      if page[2][i + 1] == tostring(biz) then redis.call('HDEL', names, page[2][i]) end
    end
  until cursor == '0'
end
-- Texts that notices still waiting in the outbox may quote: its name,
-- pledge texts and decision titles (collected before their keys go).
local quoted = {}
local function quote(v) if v and #v >= 3 then quoted[#quoted + 1] = v end end
quote(name)
for _, t in ipairs(texts) do quote(t) end
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':s172')) do
  quote(redis.call('HGET', base .. 's172:' .. n, 'title'))
  quote(redis.call('HGET', base .. 's172:' .. n .. ':current', 'title'))
end
-- Its s172 decision records (s172_log.lua keeps the set).
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':s172')) do
  local dk = base .. 's172:' .. n
  redis.call('DEL', dk, dk .. ':current', dk .. ':amendments')
  redis.call('ZREM', base .. 's172s', n)
  redis.call('ZREM', base .. 's172:review', n)
  redis.call('ZREM', base .. 's172:logged', n)
end
redis.call('DEL', bkey, bkey .. ':members', bkey .. ':pledges', bkey .. ':s172', bkey .. ':past', bkey .. ':joined', bkey .. ':stk')
redis.call('ZREM', seen_key(biz), biz)
-- Notices not sent yet (or given up on): nudges, lapse notices,
-- partners' queries, their requests to confirm and owners' replies about its pledges go; a digest that quotes it is re-queued with the quotes
-- replaced. Notices are Go JSON, which writes &, < and > as \u0026,
-- \u003c, \u003e.
local function json_forms(v)
  local j = string.gsub(v, '[\\"]', '\\%0')
  j = string.gsub(j, '[&<>]', function(ch) return string.format('\\u%04x', string.byte(ch)) end)
  return {v, j}
end
-- A person's nudge message (every part names its items) that lists one of
-- its pledges is taken back whole: the person's day mark and the decisions
-- of its other items are undone, so the next sweep tells them again
-- without the deleted business.
local function nudge_message_gone(f)
  if not string.match(f.key or '', '^nudges:') then return false end
  local hit = false
  for item in string.gmatch(f.items or '', '%S+') do
    local n = notice_field(item)
    if n and gone[n] then hit = true end
  end
  if not hit then return false end
  if f.who and redis.call('HGET', base .. 'nudged', f.who) then redis.call('HDEL', base .. 'nudged', f.who) end
  for item in string.gmatch(f.items or '', '%S+') do
    local n, field = notice_field(item)
    if n and not gone[n] then redis.call('HDEL', base .. 'pledge:' .. n .. ':once', field) end
  end
  return true
end
outbox_each(function(stream, key, e, f)
  if nudge_message_gone(f) then
    outbox_drop(stream, key, e[1])
    return
  end
  local fields = {}
  local pn = string.match(f.key or '', '^nudge:(%d+):') or string.match(f.key or '', '^lapsed:(%d+):')
    or string.match(f.key or '', '^query:(%d+):') or string.match(f.key or '', '^confirm:(%d+):')
    or string.match(f.key or '', '^reply:(%d+):')
  local changed = pn and gone[pn]
  if not changed then
    for j = 1, #e[2], 2 do
      local v = e[2][j + 1]
      for _, q in ipairs(quoted) do
        for _, form in ipairs(json_forms(q)) do
          local r = replace_all(v, form, '(deleted)')
          if r ~= v then v, changed = r, true end
        end
      end
      fields[#fields + 1] = e[2][j]
      fields[#fields + 1] = v
    end
  end
  if changed then
    outbox_drop(stream, key, e[1])
    if not pn or not gone[pn] then redis.call('XADD', key, '*', unpack(fields)) end
  end
end)
-- Their request records go too: the deleter's record of this deletion is
-- written after, so a retry still answers.
forget_people(forgotten)
-- Their number named only this business's pledges and its fields, unless
-- they wrote about others' (their index 'wrote') or made pledges in a
-- business they left (their index 'past'), whose pledges and fields may
-- store it: then it stays, for erasure to find.
for _, who in ipairs(forgotten_list) do
  if not person_any(who, {'wrote', 'past'}) then
    person_forget(who)
    raw_call('HDEL', base .. 'people', who)
  end
end
audit(actor, 'business.delete', biz, '', '')
remember(idem, biz)
return forgotten_list
