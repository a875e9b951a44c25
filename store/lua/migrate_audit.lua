-- One bounded step of turning a community's audit stream (releases before
-- audit-list-2026-12) into the audit list of lua/prelude.lua: each call
-- appends up to `batch` entries, in order and with their stream ids, to a
-- scratch list; the last swaps it in, atomically with entries the stream
-- took meanwhile (audit writes to a stream while it is one). A stream id
-- MS-SEQ becomes MS in base 36, then -SEQ when SEQ > 0. Nothing to do when
-- the audit is not a stream, so running it again is harmless.
-- KEYS[1]: audit (the audit stream, a list after)
-- KEYS[2]: audit:scrub:migrate (the scratch list)
-- ARGV[1]: cursor ('-' to start)
-- ARGV[2]: batch (entries moved a call)
-- Returns: the next cursor, or '' when the audit is a list (or absent).
local key, scratch = base .. 'audit', base .. 'audit:scrub:migrate'
local cursor, batch = ARGV[1], tonumber(ARGV[2])
if redis.call('TYPE', key)['ok'] ~= 'stream' then return '' end
if cursor == '-' then redis.call('DEL', scratch) end
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
if #out > 0 then redis.call('RPUSH', scratch, unpack(out)) end
if #entries == batch then return '(' .. entries[#entries][1] end
if redis.call('EXISTS', scratch) == 1 then
  redis.call('RENAME', scratch, key)
else
  redis.call('DEL', key)
end
return ''
