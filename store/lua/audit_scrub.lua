-- One bounded step of rewriting the audit stream without the entries of a
-- deleted business or an erased person. XDEL alone would leave their bytes
-- in the stream's nodes (and in DUMP and RDB files), and rewriting a large
-- stream in one script would stall Redis, so the store calls this until it
-- returns '': each call copies up to `batch` kept entries, with their ids, to
-- a scratch stream; the last swaps it in, atomically with entries appended
-- meanwhile.
-- KEYS[1]: audit (the audit stream)
-- Derived keys: audit:scrub:*
-- ARGV[1]: run token (names the scratch stream)
-- ARGV[2]: cursor ('-' to start)
-- ARGV[3]: mode (business|person|pledges)
-- ARGV[4]: value (the business, person or pledges the mode names)
-- ARGV[5]: batch (kept entries copied a call)
-- ARGV[6..]: people (business mode: identities whose entries go as well)
-- Returns: {next cursor or '', entries dropped in this step}.
local key, scratch = base .. 'audit', base .. 'audit:scrub:' .. ARGV[1]
local cursor, mode, value, batch = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if cursor == '-' then redis.call('DEL', scratch) end
-- In business mode, ARGV[6..] are people the deletion forgot: their
-- entries go too, the deletion's own entry excepted.
local people = {}
if mode == 'person' then people[value] = true end
for i = 6, #ARGV do people[ARGV[i]] = true end
local function drop(f)
  -- (the figures migration: pledge writes are the ledger's entries now)
  if mode == 'pledges' then return string.sub(f.action or '', 1, 7) == 'pledge.' end
  if mode == 'business' and f.action == 'business.delete' then return false end
  if mode == 'business' and f.business == value then return true end
  local d = f.detail or ''
  return people[f.by] or people[d] or people[string.match(d, '^(%S+) ') or ''] or false
end
local entries, dropped = redis.call('XRANGE', key, cursor, '+', 'COUNT', batch), 0
for i, e in ipairs(entries) do
  local f = {}
  for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
  if drop(f) then dropped = dropped + 1 else redis.call('XADD', scratch, e[1], unpack(e[2])) end
end
if #entries == batch then return {'(' .. entries[#entries][1], dropped} end
if redis.call('EXISTS', scratch) == 1 then
  redis.call('RENAME', scratch, key)
else
  redis.call('DEL', key)
end
return {'', dropped}
