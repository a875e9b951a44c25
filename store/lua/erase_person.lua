-- Removes a person from one community: memberships, roles, their own keys,
-- their identity in the pledges and histories of their businesses, and their
-- audit entries (scrubbed afterwards by audit_scrub.lua); one entry records
-- the erasure.
-- KEYS[1]: audit (the audit list)
-- KEYS[2]: outbox-attempts (send attempts by notice)
-- KEYS[3]: nudge-prefs (people's nudge settings)
-- KEYS[4]: nudge-when (people's nudge times)
-- KEYS[5]: nudged (when people were last nudged)
-- KEYS[6]: need-nudges (people nudged of needs)
-- KEYS[7]: theme-slots (themes' slots in the bitmaps)
-- KEYS[8]: outbox (the notices to send)
-- KEYS[9]: outbox-dead (notices given up on)
-- KEYS[10]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, pledge:*, pledges:*, once:*, idem:*, ledger:*, person:*, persons:*, role:*, s172:*, partner:*, need:*
-- ARGV[1]: operator
-- ARGV[2]: person (identity key)
-- Returns: 'absent', or {'ok', 'handed BIZ NEWOWNER' | 'orphaned BIZ'...}.
local operator, who = ARGV[1], ARGV[2]
-- Histories are JSON with the person as a whole "by" value: replace exactly
-- that, never a substring (erasing slack:T1:U1 must not touch U12).
local quoted, erased = '"by":"' .. who .. '"', '"by":"erased"'
-- A pledge or decision: its maker, and the person in its history list.
local function scrub_record(key, history)
  if redis.call('HGET', key, 'created_by') == who then redis.call('HSET', key, 'created_by', 'erased') end
  for k, entry in ipairs(redis.call('LRANGE', key .. history, 0, -1)) do
    if string.find(entry, quoted, 1, true) then
      redis.call('LSET', key .. history, k - 1, replace_all(entry, quoted, erased))
    end
  end
end
-- Request records of other people's requests never name them
-- (set_member.lua remembers a digest); their own, nudge setting and waiting
-- notices go (forget_people), whether or not anything else is found: a
-- person who has left every business may still have some.
local kinds = {'', 'past', 'partners', 'needs', 'wrote'}
local found = person_any(who, kinds) or person_number_of(who) ~= nil or
  redis.call('HEXISTS', base .. 'nudge-prefs', who) == 1
local had_role = false
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  had_role = had_role or redis.call('SISMEMBER', base .. 'role:' .. role, who) == 1
end
found = found or had_role
forget_people({[who] = true})
if not found then return 'absent' end
-- Their businesses, and those they have left (whose histories name them).
-- A business left without an owner goes to its longest-standing member
-- (business:N:joined; members who joined before it was kept count as
-- earliest, then by identity), or, with nobody left, is marked for an
-- admin: field needs_owner and an audit entry /audit shows.
local outcomes = {'ok'}
local function hand_over(biz)
  local members = base .. 'business:' .. biz .. ':members'
  local h = redis.call('HGETALL', members)
  local best, best_at
  for j = 1, #h, 2 do
    if h[j + 1] == 'owner' then return end
    local at = tonumber(redis.call('ZSCORE', base .. 'business:' .. biz .. ':joined', h[j]) or 0)
    if not best or at < best_at or (at == best_at and h[j] < best) then best, best_at = h[j], at end
  end
  if best then
    redis.call('HSET', members, best, 'owner')
    audit(operator, 'business.owner-handover', biz, '', best .. ' owner')
    outcomes[#outcomes + 1] = 'handed ' .. biz .. ' ' .. best
  else
    redis.call('HSET', base .. 'business:' .. biz, 'needs_owner', '1')
    audit(operator, 'business.needs-owner', biz, '', '')
    outcomes[#outcomes + 1] = 'orphaned ' .. biz
  end
end
local bizs = person_members(who, '')
for _, b in ipairs(person_members(who, 'past')) do
  local dup = false
  for _, x in ipairs(bizs) do dup = dup or x == b end
  if not dup then bizs[#bizs + 1] = b end
end
for i, biz in ipairs(bizs) do
  if redis.call('HDEL', base .. 'business:' .. biz .. ':members', who) == 1 then hand_over(biz) end
  redis.call('ZREM', base .. 'business:' .. biz .. ':joined', who)
  redis.call('SREM', base .. 'business:' .. biz .. ':past', who)
  if person_identity(redis.call('HGET', base .. 'business:' .. biz, 'created_by')) == who then
    redis.call('HSET', base .. 'business:' .. biz, 'created_by', 'erased')
  end
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':pledges')) do
    scrub_record(base .. 'pledge:' .. n, ':log')
    -- (the outcome they recorded as a partner's member, outcome.lua)
    if redis.call('HGET', base .. 'pledge:' .. n, 'ob') == who then
      redis.call('HSET', base .. 'pledge:' .. n, 'ob', 'erased')
    end
    -- The nudges and lapse notices to them its pledges decided
    -- (KIND:PERIOD:PERSON, lapsed:CLOSED:PERSON).
    notices_drop(n, function(f) return string.match(f, '^%a+:[^:]+:(.+)$') == who end)
  end
  -- The same for its s172 decision records and their amendments.
  for j, n in ipairs(redis.call('SMEMBERS', base .. 'business:' .. biz .. ':s172')) do
    scrub_record(base .. 's172:' .. n, ':amendments')
  end
end
-- Their community partners (person:WHO:partners): the same hand-over, to
-- the longest-standing of its people, else needs_owner for an admin or a
-- coordinator. A partner's hash names nobody (register_partner.lua).
for _, pt in ipairs(person_members(who, 'partners')) do
  local pk = base .. 'partner:' .. pt
  local role = redis.call('HGET', pk .. ':members', who)
  redis.call('HDEL', pk .. ':members', who)
  redis.call('ZREM', pk .. ':joined', who)
  if role == 'partner-owner' then
    local h, best, best_at = redis.call('HGETALL', pk .. ':members'), nil, nil
    local owned = false
    for j = 1, #h, 2 do
      if h[j + 1] == 'partner-owner' then owned = true end
      local at = tonumber(redis.call('ZSCORE', pk .. ':joined', h[j]) or 0)
      if not best or at < best_at or (at == best_at and h[j] < best) then best, best_at = h[j], at end
    end
    if not owned and best then
      redis.call('HSET', pk .. ':members', best, 'partner-owner')
      audit(operator, 'partner.owner-handover', '', '', best .. ' partner-owner partner:' .. pt)
    elseif not owned then
      redis.call('HSET', pk, 'needs_owner', '1')
      audit(operator, 'partner.needs-owner', '', '', 'partner:' .. pt)
    end
  end
end
-- The needs they posted (person:WHO:needs) go by 'erased'.
for _, nd in ipairs(person_members(who, 'needs')) do
  if redis.call('HGET', base .. 'need:' .. nd, 'by') == who then redis.call('HSET', base .. 'need:' .. nd, 'by', 'erased') end
end
-- The ledger names who made each write: theirs go by 'erased', in their
-- businesses' pledges and those they wrote about as no member (their index
-- 'wrote'): never a walk of the whole ledger, whatever role they held.
ledger_forget(who, bizs)
-- Their number goes: what stores it (pledges they made in businesses not
-- theirs too) reads as 'erased' (person_forget).
person_forget(who)
for _, k in ipairs(kinds) do raw_call('HDEL', base .. 'people', person_field(who, k)) end
for i, role in ipairs({'council', 'coordinator', 'admin'}) do
  redis.call('SREM', base .. 'role:' .. role, who)
end
audit(operator, 'member.erase', '', '', '')
return outcomes
