-- Adds a person to a community partner, changes their role, or takes them
-- out.
-- KEYS[1]: partner:ARGV[4] (the partner)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: audit (the audit list)
-- KEYS[4]: outbox-attempts (send attempts by notice)
-- KEYS[5]: role:coordinator (the partners' coordinators)
-- KEYS[6]: outbox (the notices to send)
-- KEYS[7]: outbox-dead (notices given up on)
-- KEYS[8]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, idem:*, partner:*, person:*, pledge:*, pledges:*, persons:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: partner
-- ARGV[5]: who
-- ARGV[6]: role ('partner-owner', 'partner-member', or '' to remove)
-- Returns: 'ok'. Anyone may take themselves out; otherwise the actor is a
-- partner-owner of it, an admin or a coordinator (who may register a
-- partner on its behalf, so may also fix its people). Refusals: notfound
-- partner N, forbidden partnerowner N, notfound partnermember N, conflict
-- partnerlastowner N.
local actor, cfg, idem = ARGV[1], ARGV[2], idem_key(ARGV[3], 'partner-member')
local p, who, role = ARGV[4], ARGV[5], ARGV[6]
-- The request record names what it did by a digest, never the member
-- (as set_member.lua).
local did = string.sub(redis.sha1hex(p .. ' ' .. who .. ' ' .. role), 1, 16)
if replayed(idem, did) then return 'ok' end
local key = base .. 'partner:' .. p
if redis.call('EXISTS', key) == 0 then return fail('notfound', 'partner ' .. p) end
local members = key .. ':members'
local self_leaving = role == '' and who == actor
if not self_leaving and not is_admin(actor, cfg) and redis.call('HGET', members, actor) ~= 'partner-owner'
  and redis.call('SISMEMBER', base .. 'role:coordinator', actor) == 0 then
  return fail('forbidden', 'partnerowner ' .. p)
end
local current = redis.call('HGET', members, who)
if role == '' and not current then return fail('notfound', 'partnermember ' .. p) end
if current == 'partner-owner' and role ~= 'partner-owner' then
  if holders(members, 'partner-owner') <= 1 then return fail('conflict', 'partnerlastowner ' .. p) end
end
if role == '' then
  redis.call('HDEL', members, who)
  person_rem(who, 'partners', p)
  redis.call('ZREM', key .. ':joined', who)
  -- Requests to confirm and owners' replies still waiting for them, about
  -- pledges made to this partner, go with them.
  outbox_each(function(stream, skey, e, f)
    local n, to = string.match(f.key or '', '^confirm:(%d+):%d+:(.+)$')
    if not n then n, to = string.match(f.key or '', '^reply:(%d+):%d+:%d+:(.+)$') end
    if to == who and redis.call('HGET', base .. 'pledge:' .. n, 'pt') == p then outbox_drop(stream, skey, e[1]) end
  end)
else
  redis.call('HSET', members, who, role)
  person_add(who, 'partners', p)
  if role == 'partner-owner' then redis.call('HDEL', key, 'needs_owner') end
  -- When they joined: an erased last partner-owner hands over to the
  -- longest-standing member (erase_person.lua).
  if not current then redis.call('ZADD', key .. ':joined', 'NX', redis.call('TIME')[1], who) end
end
-- The detail starts with the person, so erasing them scrubs the entry
-- (audit_scrub.lua).
if role == '' then audit(actor, 'partner.remove-member', '', '', who .. ' partner:' .. p)
else audit(actor, 'partner.set-member', '', '', who .. ' ' .. role .. ' partner:' .. p) end
remember(idem, did)
return 'ok'
