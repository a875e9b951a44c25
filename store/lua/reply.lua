-- A business's owner or member answers about one progress entry of a
-- pledge made to a partner (most often a queried one) with a note: the
-- ledger records it (kind replied, which moves no figure) and each of the
-- partner's people is told through the outbox, in the same step, so a
-- replay of the request tells nobody again.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: outbox (the notices to send)
-- KEYS[3]: theme-slots (themes' slots in the bitmaps)
-- KEYS[4]: months (the months holding figures)
-- KEYS[5]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[6]: day-sums (how far the day sums count)
-- Derived keys: business:*, business-seen:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*, partner:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: (unused) cfgadmin: only the business's people may
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: entry (0: the latest entry not struck)
-- ARGV[6]: note
-- ARGV[7]: now (unix)
-- ARGV[8]: community
-- ARGV[9]: the partner's notice as a bot.Reply in JSON (the script addresses it to each of them
--   and puts the entry's number for each "\u0000entry" in it)
-- Returns: {pledge_out, entry}, or an error: notfound, forbidden,
-- nopartner, noentries, noentry "K COUNT", struck "K".
local actor, n = ARGV[1], ARGV[4]
local idem = idem_key(ARGV[3], 'pledge-reply')
local first = idem_result(idem)
if first then
  local was, k = string.match(first, '^(%d+):(%d+)$')
  if was == tostring(n) then return {pledge_out(n), tonumber(k)} end
end
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'theme', 'pt')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
if not biz_role(p[1], actor) then return fail('forbidden', 'pledge ' .. n) end
if not p[3] then return fail('nopartner', n) end
local entries, k, err = pick_entry(n, tonumber(ARGV[5]) or 0)
if not entries then return err end
if entries[k].amount == 0 then return fail('struck', k) end

local now = tonumber(ARGV[7])
activity('replied', n, p[1], p[2], '0', now, actor, cjson.encode({entry = k, note = ARGV[6]}))
local reply = replace_all(ARGV[9], '\\u0000entry', tostring(k))
local people = redis.call('HGETALL', base .. 'partner:' .. p[3] .. ':members')
for i = 1, #people, 2 do
  if people[i] ~= actor then notice_to('reply:' .. n .. ':' .. k .. ':' .. now .. ':' .. people[i], ARGV[8], people[i], reply) end
end
remember(idem, n .. ':' .. k)
return {pledge_out(n), k}
