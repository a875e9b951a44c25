-- KEYS[1]: business:ARGV[4] (the business)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: audit (the audit list)
-- KEYS[4]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, idem:*, person:*, persons:*, pledges:* (the wrapper it carries)
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: business
-- ARGV[5]: who
-- ARGV[6]: role ('' removes)
-- Returns: 'ok'.
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 'business-member')
local biz, who, role = ARGV[4], ARGV[5], ARGV[6]
-- The request record names what it did by a digest: a value naming the
-- member would keep their identity after they are erased (issue 19).
local did = string.sub(redis.sha1hex(biz .. ' ' .. who .. ' ' .. role), 1, 16)
if replayed(idem, did) then return 'ok' end
if redis.call('EXISTS', base .. 'business:' .. biz) == 0 then return fail('notfound', 'business ' .. biz) end
local self_leaving = role == '' and who == actor
if not self_leaving and not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then
  return fail('forbidden', 'owner ' .. biz)
end
local members = base .. 'business:' .. biz .. ':members'
local current = redis.call('HGET', members, who)
if role == '' and not current then return fail('notfound', 'member ' .. biz) end
if current == 'owner' and role ~= 'owner' then
  if holders(members, 'owner') <= 1 then return fail('conflict', 'lastowner ' .. biz) end
end
-- A member who leaves stays named in the business's histories: the sets
-- person:WHO:past and business:N:past remember it, so an erasure finds
-- those histories and a deletion the people it may forget.
if role == '' then
  redis.call('HDEL', members, who)
  person_rem(who, '', biz)
  person_add(who, 'past', biz)
  redis.call('SADD', base .. 'business:' .. biz .. ':past', who)
  redis.call('ZREM', base .. 'business:' .. biz .. ':joined', who)
else
  redis.call('HSET', members, who, role)
  person_add(who, '', biz)
  if role == 'owner' then redis.call('HDEL', base .. 'business:' .. biz, 'needs_owner') end
  if not current then
    -- When they joined: an erased last owner hands over to the
    -- longest-standing member (erase_person.lua).
    redis.call('ZADD', base .. 'business:' .. biz .. ':joined', 'NX', redis.call('TIME')[1], who)
    person_rem(who, 'past', biz)
    redis.call('SREM', base .. 'business:' .. biz .. ':past', who)
  end
end
if role == '' then audit(actor, 'business.remove-member', biz, '', who)
else audit(actor, 'business.set-member', biz, '', who .. ' ' .. role) end
remember(idem, did)
return 'ok'
