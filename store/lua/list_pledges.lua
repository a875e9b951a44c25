-- Newest first, filtered, visible to the actor, at most `limit`.
-- KEYS[1]: role:admin (the community's admins, is_admin)
-- KEYS[2]: seq:pledge (the pledge counter)
-- KEYS[3]: outcomes (pledges by latest outcome)
-- KEYS[4]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, pledge:*, pledges:*, person:*, partner:*, persons:*
-- ARGV[1]: actor (identity key)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: business (0: all)
-- ARGV[4]: status ('' active+done, 'all')
-- ARGV[5]: theme
-- ARGV[6]: limit
-- ARGV[7]: scan cap
-- ARGV[8]: partner (0 or absent: any)
-- ARGV[9]: mine ('1': only pledges the actor made or of businesses the actor owns)
-- ARGV[10]: (optional) outcome window from (unix): with ARGV[11], only pledges whose latest outcome
--   (outcome.lua, index outcomes) was recorded in [from, to), newest first
-- ARGV[11]: (optional) outcome window to (unix)
-- Returns: {rows {n, fields, business name}, pledges scanned}. A private
-- pledge is listed to admins, its business's people and the people of the
-- partner it is made to.
local actor, cfg, biz, status, theme = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local limit, cap, partner, only_mine = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8] or '0', ARGV[9] == '1'
if partner == '' then partner = '0' end
local admin = is_admin(actor, cfg)
-- All pledges are numbered 1..seq with no index of their own (it would cost
-- memory on every pledge): count down from the newest, skipping gaps left by
-- deleted businesses. One business's pledges are fields of its hash
-- (business:N:pledges, folded_call in lua/prelude.lua).
local mine, owned = {}, {}
for i, b in ipairs(person_members(actor, '')) do mine[b] = true end
local index, top = nil, 0
local within = ARGV[11] ~= nil
if within then
  index = {}
elseif partner ~= '0' then index = {base .. 'partner:' .. partner .. ':pledges'}
elseif biz ~= '0' then index = {base .. 'business:' .. biz .. ':pledges'}
elseif only_mine then
  -- A pledge the actor made belongs to a business they act for or have
  -- left (person:ACTOR:past): their pledges are in those businesses' sets.
  index = {}
  for b in pairs(mine) do index[#index + 1] = base .. 'business:' .. b .. ':pledges' end
  for _, b in ipairs(person_members(actor, 'past')) do
    index[#index + 1] = base .. 'business:' .. b .. ':pledges'
  end
else top = tonumber(redis.call('GET', base .. 'seq:pledge') or '0') end
if only_mine then
  for b in pairs(mine) do
    owned[b] = redis.call('HGET', base .. 'business:' .. b .. ':members', actor) == 'owner'
  end
end
local function page(start)
  if index then
    if start > 0 then return {} end
    if within then
      return redis.call('ZREVRANGEBYSCORE', base .. 'outcomes', '(' .. ARGV[11], ARGV[10])
    end
    if #index == 0 then return {} end
    local ids = redis.call('SUNION', unpack(index))
    table.sort(ids, function(x, y) return tonumber(x) > tonumber(y) end)
    return ids
  end
  local ids = {}
  for n = top - start, math.max(1, top - start - 99), -1 do ids[#ids + 1] = tostring(n) end
  return ids
end
local my_partners = {}
for _, pt in ipairs(person_members(actor, 'partners')) do my_partners[pt] = true end
local names, out, scanned, start = {}, {}, 0, 0
while #out < limit and scanned < cap do
  local ids = page(start)
  if #ids == 0 then break end
  start = start + #ids
  for i, n in ipairs(ids) do
    scanned = scanned + 1
    local p = redis.call('HMGET', base .. 'pledge:' .. n, 'business', 'status', 'theme', 'visibility', 'pt', 'created_by')
    if p[1] and not p[2] then p[2] = 'active' end -- left out while active
    local ok = p[1] and (p[4] ~= 'private' or admin or mine[p[1]] or (p[5] and my_partners[p[5]]))
    if ok and (partner ~= '0' or within) and biz ~= '0' then ok = p[1] == biz end
    if ok and within and partner ~= '0' then ok = p[5] == partner end
    if ok and only_mine then ok = p[6] == actor or owned[p[1]] end
    if ok and status == '' then ok = p[2] == 'active' or p[2] == 'done' end
    if ok and status ~= '' and status ~= 'all' then ok = p[2] == status end
    if ok and theme ~= '' then ok = p[3] == theme end
    if ok then
      if not names[p[1]] then names[p[1]] = redis.call('HGET', base .. 'business:' .. p[1], 'name') or '' end
      local row = pledge_out(n, nil, names[p[1]]) -- (not its ledger pointers)
      out[#out + 1] = {n, row[2], names[p[1]]}
      if #out >= limit then break end
    end
  end
end
return {out, scanned}
