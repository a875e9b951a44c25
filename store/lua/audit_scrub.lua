-- One bounded step of rewriting the audit list without the entries of a
-- deleted business or an erased person. Rewriting a large list in one
-- script would stall Redis, so the store calls this until it returns '':
-- each call copies up to `batch` kept entries to a scratch list; the last
-- swaps it in, atomically with entries appended meanwhile. The cursor is
-- "POS ID", the list position after the last entry read and its id: ids
-- only grow (audit in lua/prelude.lua), so when a trim has moved the
-- entries meanwhile the position is found again by id.
-- KEYS[1]: audit (the audit list)
-- Derived keys: audit:scrub:*
-- ARGV[1]: run token (names the scratch list)
-- ARGV[2]: cursor ('-' to start)
-- ARGV[3]: mode (business|person|pledges)
-- ARGV[4]: value (the business, person or pledges the mode names)
-- ARGV[5]: batch (entries read a call)
-- ARGV[6..]: people (business mode: identities whose entries go as well)
-- Returns: {next cursor or '', entries dropped in this step}.
local key, scratch = base .. 'audit', base .. 'audit:scrub:' .. ARGV[1]
local cursor, mode, value, batch = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
-- In business mode, ARGV[6..] are people the deletion forgot: their
-- entries go too, the deletion's own entry excepted.
local people = {}
if mode == 'person' then people[value] = true end
for i = 6, #ARGV do people[ARGV[i]] = true end
local function drop(f)
  -- (the figures migration: pledge writes are the ledger's entries now)
  if mode == 'pledges' then return string.sub(f.action, 1, 7) == 'pledge.' end
  if mode == 'business' and f.action == 'business.delete' then return false end
  if mode == 'business' and f.business == value then return true end
  local d = f.detail
  return people[f.by] or people[d] or people[string.match(d, '^(%S+) ') or ''] or false
end
local start = 0
if cursor == '-' then
  redis.call('DEL', scratch)
else
  local pos, id = string.match(cursor, '^(%d+) (.*)$')
  start = tonumber(pos)
  local prev = start > 0 and redis.call('LINDEX', key, start - 1)
  if not (prev and string.match(prev, '^[^|]*') == id) then
    -- Moved: the first entry whose id is past the cursor's.
    local ms, seq = audit_id(id .. '|')
    local lo, hi = 0, redis.call('LLEN', key)
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      local m, s = audit_id(redis.call('LINDEX', key, mid))
      if m < ms or (m == ms and s <= seq) then lo = mid + 1 else hi = mid end
    end
    start = lo
  end
end
local entries, dropped, kept = redis.call('LRANGE', key, start, start + batch - 1), 0, {}
for _, e in ipairs(entries) do
  local _, action, biz, pledge, by, detail = string.match(e, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  by = string.gsub(string.gsub(by or '', '%%7C', '|'), '%%25', '%%')
  if drop({action = action or '', business = biz, pledge = pledge, by = by, detail = detail or ''}) then
    dropped = dropped + 1
  else
    kept[#kept + 1] = e
  end
end
if #kept > 0 then redis.call('RPUSH', scratch, unpack(kept)) end
if #entries == batch then
  return {(start + batch) .. ' ' .. string.match(entries[#entries], '^[^|]*'), dropped}
end
if redis.call('EXISTS', scratch) == 1 then
  redis.call('RENAME', scratch, key)
else
  redis.call('DEL', key)
end
return {'', dropped}
