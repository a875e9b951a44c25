-- Removes every key of a business and records that it was deleted, by whom
-- and when; the store then scrubs its entries from the audit trail
-- (audit_scrub.lua).
-- ARGV: actor, cfgadmin, req, business
local actor, cfg, idem, biz = ARGV[1], ARGV[2], idem_key(ARGV[3], 'business-delete'), ARGV[4]
if replayed(idem, biz) then return 'ok' end
local bkey = base .. 'business:' .. biz
if redis.call('EXISTS', bkey) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then return fail('forbidden', 'owner ' .. biz) end
local totals = base .. 'totals'
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':pledges')) do
  local p = redis.call('HMGET', base .. 'pledge:' .. n, 'status', 'theme', 'target', 'progress', 'business')
  if p[5] and not p[1] then p[1] = 'active' end -- left out while active
  if p[1] then
    if p[1] ~= 'withdrawn' then
      redis.call('HINCRBYFLOAT', totals, 'committed:' .. p[2], -(tonumber(p[3]) or 0))
    end
    redis.call('HINCRBYFLOAT', totals, 'delivered:' .. p[2], -(tonumber(p[4]) or 0))
    redis.call('HINCRBY', totals, 'pledges:' .. p[2], -1)
    redis.call('HINCRBY', totals, 'status:' .. p[1], -1)
  end
  stats_event(n, 'delete')
  redis.call('DEL', base .. 'pledge:' .. n, base .. 'pledge:' .. n .. ':log')
  redis.call('ZREM', base .. 'due', n)
  redis.call('ZREM', base .. 'updated', n)
end
for i, who in ipairs(redis.call('HKEYS', bkey .. ':members')) do
  redis.call('SREM', base .. 'person:' .. who, biz)
end
local name = redis.call('HGET', bkey, 'name') or ''
redis.call('HDEL', base .. 'business-names', redis.call('HGET', bkey, 'name_key') or string.lower(name))
redis.call('ZREM', base .. 'businesses', biz)
-- Its s172 decision records (s172_log.lua keeps the set).
for i, n in ipairs(redis.call('SMEMBERS', bkey .. ':s172')) do
  local dk = base .. 's172:' .. n
  redis.call('DEL', dk, dk .. ':current', dk .. ':amendments')
  redis.call('ZREM', base .. 's172s', n)
  redis.call('ZREM', base .. 's172:review', n)
end
redis.call('DEL', bkey, bkey .. ':members', bkey .. ':pledges', bkey .. ':s172')
redis.call('ZREM', base .. 'business-seen', biz)
activity_scrub(biz)
audit(actor, 'business.delete', biz, '', '')
remember(idem, biz)
return 'ok'
