-- An s172 decision: {n, original hash (full only), current hash, amendments
-- (full only), business name, created_by, created_at, business form}.
-- names, when given, caches business names and forms across the rows of
-- one list.
local function s172_out(n, full, names)
  local key = base .. 's172:' .. n
  local cur = redis.call('HGETALL', key .. ':current')
  local meta = redis.call('HMGET', key, 'business', 'created_by', 'created_at')
  local biz = {'', ''}
  if meta[1] then
    biz = names and names[meta[1]]
    if not biz then
      local h = redis.call('HMGET', base .. 'business:' .. meta[1], 'name', 'form')
      biz = {h[1] or '', h[2] or ''}
      if names then names[meta[1]] = biz end
    end
  end
  local orig, log = {}, {}
  if full then
    orig = redis.call('HGETALL', key)
    log = redis.call('LRANGE', key .. ':amendments', 0, -1)
  end
  return {tostring(n), orig, cur, log, biz[1], meta[2] or '', meta[3] or '', biz[2]}
end

-- Checks a decision's fields (after an amendment when `changed` is given,
-- then only changed pledges are re-checked): at least one factor, review
-- not before the decision date, linked pledges that exist and the actor
-- may see. Returns an error reply or nil.
local function s172_check(f, actor, admin, changed)
  local any = false
  for _, l in ipairs({'a', 'b', 'c', 'd', 'e', 'f'}) do
    if f[l] and f[l] ~= '' then any = true end
  end
  if not any then return fail('nofactor') end
  if f.review and f.review ~= '' and f.review < (f.date or '') then
    return fail('review', f.review .. ' ' .. (f.date or ''))
  end
  local pledges = f.pledges
  if changed then pledges = changed.pledges end
  for p in string.gmatch(pledges or '', '[^,]+') do
    local pk = base .. 'pledge:' .. p
    local pv = redis.call('HMGET', pk, 'business', 'visibility')
    if not pv[1] or (pv[2] == 'private' and not admin and not biz_role(pv[1], actor)) then
      return fail('pledge', p)
    end
  end
  return nil
end
