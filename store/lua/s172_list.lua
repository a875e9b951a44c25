-- Decisions from a time index, filtered, in one round trip.
-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: s172s (decisions by date)
-- KEYS[3]: s172:review (decisions by review date)
-- KEYS[4]: s172:logged (decisions by logging time)
-- KEYS[5]: migrations (the migrations done)
-- KEYS[6]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: s172:*, business:*, person:*
-- ARGV[1]: actor (identity key)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: mode (actor: what the actor may see; shareable: shareable only; all: everything, for jobs;
--   export: everything, full rows)
-- ARGV[4]: index (date|review|logged: when it was logged, scores in seconds; decisions logged before
--   the index existed are added to it first)
-- ARGV[5]: order (asc|desc)
-- ARGV[6]: from score
-- ARGV[7]: to score
-- ARGV[8]: business (0: any)
-- ARGV[9]: factor ('' any)
-- ARGV[10]: limit
-- ARGV[11]: scan cap
-- ARGV[12]: counts ('1': return counts instead of rows)
-- ARGV[13]: full ('1': rows carry the original and the amendments too)
-- Returns: {rows, scanned}, or with counts {total, shared, by}.
local actor, cfg, mode = ARGV[1], ARGV[2], ARGV[3]
local index = base .. 's172s'
if ARGV[4] == 'review' then index = base .. 's172:review' end
if ARGV[4] == 'logged' then
  index = base .. 's172:logged'
  if redis.call('HSETNX', base .. 'migrations', 's172-logged', 'binhelp-2026-12') == 1 then
    for _, n in ipairs(redis.call('ZRANGE', base .. 's172s', 0, -1)) do
      local at = redis.call('HGET', base .. 's172:' .. n, 'created_at')
      if at then redis.call('ZADD', index, 'NX', at, n) end
    end
  end
end
local desc, lo, hi, biz, factor = ARGV[5] == 'desc', ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local limit, cap, counting = tonumber(ARGV[10]), tonumber(ARGV[11]), ARGV[12] == '1'
local full = ARGV[13] == '1'
local admin = mode == 'actor' and is_admin(actor, cfg)
local mine = {}
if mode == 'actor' then
  for _, b in ipairs(person_members(actor, '')) do mine[b] = true end
end
local letters = {'a', 'b', 'c', 'd', 'e', 'f'}
local total, shared, by = 0, 0, {0, 0, 0, 0, 0, 0}
local names, out, scanned, offset = {}, {}, 0, 0
while (counting or #out < limit) and scanned < cap do
  local ids
  if desc then
    ids = redis.call('ZREVRANGEBYSCORE', index, hi, lo, 'LIMIT', offset, 100)
  else
    ids = redis.call('ZRANGEBYSCORE', index, lo, hi, 'LIMIT', offset, 100)
  end
  if #ids == 0 then break end
  offset = offset + #ids
  for _, n in ipairs(ids) do
    scanned = scanned + 1
    local ck = base .. 's172:' .. n .. ':current'
    local d = redis.call('HMGET', ck, 'business', 'confidentiality', 'a', 'b', 'c', 'd', 'e', 'f')
    if d[1] then
      if counting then
        total = total + 1
        if d[2] == 'shareable' then shared = shared + 1 end
        for i = 1, 6 do
          if d[i + 2] and d[i + 2] ~= '' then by[i] = by[i] + 1 end
        end
      else
        local ok = mode == 'all' or mode == 'export' or d[2] == 'shareable' or (mode == 'actor' and (admin or mine[d[1]]))
        if ok and biz ~= '0' then ok = d[1] == biz end
        if ok and factor ~= '' then
          local v = redis.call('HGET', ck, factor)
          ok = v and v ~= ''
        end
        if ok then
          out[#out + 1] = s172_out(n, full, names)
          if #out >= limit then break end
        end
      end
    end
  end
end
if counting then return {total, shared, by} end
return {out, scanned}
