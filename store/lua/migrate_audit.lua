-- One bounded step of turning a community's audit stream (releases before
-- audit-list-2026-12) into the audit list of lua/prelude.lua: each call
-- appends up to `batch` entries, in order and with their stream ids, to a
-- scratch list; the last swaps it in, atomically with entries the stream
-- took meanwhile (audit writes to a stream while it is one). A stream id
-- MS-SEQ becomes MS in base 36, then -SEQ when SEQ > 0. Nothing to do when
-- the audit is not a stream, so running it again is harmless.
-- Every replica runs it at start-up, and the audit's readers run it too,
-- so runs overlap: each builds its own scratch list, named by its run
-- token, and the first to finish swaps it in; a later one finds a list,
-- drops its scratch and is done. A run abandoned midway (a crash) leaves
-- its scratch list, which expires an hour after its last step.
-- KEYS[1]: audit (the audit stream, a list after)
-- Derived keys: audit:scrub:*
-- ARGV[1]: run token (names the scratch list)
-- ARGV[2]: cursor ('-' to start)
-- ARGV[3]: batch (entries moved a call)
-- Returns: the next cursor, or '' when the audit is a list (or absent);
-- '-' when the run's scratch list has gone (expired), to start again.
local key, scratch = base .. 'audit', base .. 'audit:scrub:' .. ARGV[1]
local cursor, batch = ARGV[2], tonumber(ARGV[3])
if redis.call('TYPE', key)['ok'] ~= 'stream' then
  redis.call('DEL', scratch)
  return ''
end
-- Past the first batch the scratch list holds entries; had it expired,
-- swapping in what follows would lose those before.
if cursor ~= '-' and redis.call('EXISTS', scratch) == 0 then return '-' end
local digits = '0123456789abcdefghijklmnopqrstuvwxyz'
local entries, out = redis.call('XRANGE', key, cursor, '+', 'COUNT', batch), {}
for _, e in ipairs(entries) do
  local f = {}
  for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
  local ms, seq = string.match(e[1], '^(%d+)-(%d+)$')
  ms = tonumber(ms)
  local id = ''
  repeat
    local d = ms % 36
    id, ms = string.sub(digits, d + 1, d + 1) .. id, (ms - d) / 36
  until ms == 0
  if seq ~= '0' then id = id .. '-' .. seq end
  local who = string.gsub(string.gsub(f.by or '', '%%', '%%25'), '|', '%%7C')
  out[#out + 1] = table.concat({id, f.action or '', f.business or '', f.pledge or '', who, f.detail or ''}, '|')
end
if #out > 0 then
  redis.call('RPUSH', scratch, unpack(out))
  redis.call('EXPIRE', scratch, 3600)
end
if #entries == batch then return '(' .. entries[#entries][1] end
if redis.call('EXISTS', scratch) == 1 then
  redis.call('RENAME', scratch, key)
  -- (RENAME carries the scratch list's expiry over; the audit keeps.)
  redis.call('PERSIST', key)
else
  redis.call('DEL', key)
end
return ''
