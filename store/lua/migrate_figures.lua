-- Rebuilds a community's figures (lua/figures.lua: the monthly sums and
-- the businesses' bits) from its pledges, a batch of pledge numbers per
-- call so Redis never stalls. The first batch (from = 1) drops what an
-- earlier, interrupted rebuild left. The ledger is the record and is kept:
-- a pledge that points into it (field lg) has its bits marked from its
-- entries. A pledge from a release before the ledger (a history list,
-- pledge:N:log, and no lg) gets its entries written from that list, dated
-- as it dates them, with the amount the write changed its theme's totals
-- by where the history says (a pledge made: its target; progress: the
-- amount; a correction: its difference; a withdrawal: minus the target),
-- else 0; the list then goes.
-- KEYS: the community's key base.
-- ARGV: first pledge number, how many
-- Returns the next pledge number, or 0 when none is left.
local from, count = tonumber(ARGV[1]), tonumber(ARGV[2])
if from == 1 then
  local keys = {base .. 'theme-slots'}
  for _, mo in ipairs(redis.call('ZRANGE', base .. 'months', 0, -1)) do
    for _, k in ipairs({'sums:', 'bizbits:', 'bizthemes:'}) do keys[#keys + 1] = base .. k .. mo end
  end
  for i = 1, #keys, 500 do redis.call('DEL', unpack(keys, i, math.min(i + 499, #keys))) end
end
local last = tonumber(redis.call('GET', base .. 'seq:pledge') or '0')
local to = math.min(from + count - 1, last)
for n = from, to do
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'business', 'theme', 'target', 'created_at', 'created_by')
  p[6] = long_get(key, 'lg')
  if p[1] and p[6] then
    for _, ptr in ipairs(log_pointers(p[6])) do
      local e = parse_entry(redis.call('LINDEX', base .. 'ledger:' .. ptr[1], ptr[2]) or '', ptr[2])
      if e and e.kind ~= 'snoozed' then mark_bits(e.biz, e.theme, e.at) end
    end
  elseif p[1] then
    local biz, theme, target = p[1], p[2], tonumber(p[3]) or 0
    record('created', n, biz, theme, decimal(target), tonumber(p[4]) or 0, p[5] or '', '')
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
        record(e.kind, n, biz, theme, decimal(amount), unix_of(e.at), tostring(e.by or ''), event_extra(raw))
      end
    end
    redis.call('DEL', key .. ':log')
  end
  if p[1] then figures_move({}, pledge_atoms(n)) end
  -- A text longer than 64 bytes, written whole by an earlier release, made
  -- the hash a hashtable; rewritten in parts it is compact again (Redis
  -- never converts back by itself).
  local text = redis.call('HGET', key, 'text')
  if text and #text > 64 then
    local h = redis.call('HGETALL', key)
    local out = long_fields('text', text)
    for i = 1, #h, 2 do
      if h[i] ~= 'text' then out[#out + 1] = h[i]; out[#out + 1] = h[i + 1] end
    end
    redis.call('DEL', key)
    redis.call('HSET', key, unpack(out))
  end
end
if to >= last then return 0 end
return to + 1
