-- Shared by every script. KEYS[1] is the community's key base, e.g.
-- "pb:{c42}:"; every key a script touches starts with it, so all of them
-- hash to one cluster slot.
local base = KEYS[1]

local function fail(code, detail)
  return redis.error_reply('PB ' .. code .. ' ' .. (detail or ''))
end

local function is_admin(actor, cfg)
  return cfg == '1' or redis.call('SISMEMBER', base .. 'role:admin', actor) == 1
end

local function biz_role(biz, actor)
  return redis.call('HGET', base .. 'business:' .. biz .. ':members', actor)
end

-- Replays of one request id return the first result instead of acting twice.
local function idem_key(req)
  if req == '' then return nil end
  return base .. 'idem:' .. req
end

local function remember(idem, value)
  if idem then redis.call('SET', idem, value, 'EX', 86400) end
end

local function pledge_out(n)
  local key = base .. 'pledge:' .. n
  local h = redis.call('HGETALL', key)
  local biz = redis.call('HGET', key, 'business')
  local name = ''
  if biz then name = redis.call('HGET', base .. 'business:' .. biz, 'name') or '' end
  return {tostring(n), h, name}
end

-- Loads a pledge the actor may change; returns fields or an error reply.
local function changeable(n, actor, cfg)
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'business', 'status', 'theme', 'target', 'progress')
  if not p[1] then return nil, fail('notfound', 'pledge ' .. n) end
  if not is_admin(actor, cfg) and not biz_role(p[1], actor) then
    return nil, fail('forbidden', 'pledge ' .. n)
  end
  return {business = p[1], status = p[2], theme = p[3], target = tonumber(p[4]) or 0, progress = tonumber(p[5]) or 0}, nil
end

local function set_status(n, from, to)
  redis.call('HSET', base .. 'pledge:' .. n, 'status', to)
  redis.call('HINCRBY', base .. 'totals', 'status:' .. from, -1)
  redis.call('HINCRBY', base .. 'totals', 'status:' .. to, 1)
  if to ~= 'active' then
    redis.call('ZREM', base .. 'due', n)
    redis.call('ZREM', base .. 'updated', n)
  end
end

-- Every state change goes to the community's audit stream. Age trimming is
-- done by TrimAudit; MAXLEN is only a safety cap.
local function audit(by, action, biz, pledge, detail)
  redis.call('XADD', base .. 'audit', 'MAXLEN', '~', 1000000, '*', 'by', by, 'action', action,
    'business', tostring(biz or ''), 'pledge', tostring(pledge or ''), 'detail', detail or '')
end

-- Rewrites the audit stream without the entries drop() picks. XDEL alone
-- would leave their bytes inside the stream's nodes (and in DUMP and RDB
-- files); rebuilding with the same ids removes them for good.
local function scrub_audit(drop)
  local key, kept, cursor = base .. 'audit', {}, '-'
  while true do
    local entries = redis.call('XRANGE', key, cursor, '+', 'COUNT', 500)
    for i, e in ipairs(entries) do
      local f = {}
      for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
      if not drop(f) then kept[#kept + 1] = e end
    end
    if #entries < 500 then break end
    cursor = '(' .. entries[#entries][1]
  end
  redis.call('DEL', key)
  for i, e in ipairs(kept) do
    redis.call('XADD', key, e[1], unpack(e[2]))
  end
end

-- Appends to the community's activity index, which the weekly digest reads
-- by time range so its cost follows the week's events, not the history.
-- Members are "seq|kind|pledge|business|theme|amount"; entries older than
-- 62 days are trimmed as new ones arrive. business-seen keeps each
-- business's last activity for "quiet for 4+ weeks".
local function activity(kind, n, biz, theme, amount, at)
  local seq = redis.call('INCR', base .. 'seq:activity')
  redis.call('ZADD', base .. 'activity', at, seq .. '|' .. kind .. '|' .. n .. '|' .. biz .. '|' .. theme .. '|' .. amount)
  redis.call('ZADD', base .. 'business-seen', at, biz)
  redis.call('ZREMRANGEBYSCORE', base .. 'activity', '-inf', '(' .. (tonumber(at) - 5356800))
end
