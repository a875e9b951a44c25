-- A partner's member confirms or queries one progress entry of a pledge
-- made to their partner: the entry's state goes in the pledge's cf
-- (entry_states) and the figures' split follows (pledge_atoms), the ledger
-- records who, when and the note (kinds confirmed and queried, which move
-- no amount delivered), and a query puts a notice
-- to each of the business's owners in the outbox, in the same step, so a
-- replay of the request sends none again.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: outbox (the notices to send)
-- KEYS[4]: theme-slots (themes' slots in the bitmaps)
-- KEYS[5]: months (the months holding figures)
-- KEYS[6]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[7]: area-sums (how far the area sums count)
-- KEYS[8]: districts (the districts with area sums)
-- KEYS[9]: day-sums (how far the day sums count)
-- Derived keys: business:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*, partner:*, person:*, dbits:*, dsums:*, persons:*
--   day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it); "link:N" for a confirm link's visitor
-- ARGV[2]: cfgadmin ('1': an admin; it only decides whether a private pledge is named: only the partner's people may act)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: op (confirm or query)
-- ARGV[6]: entry (0: the latest entry not struck)
-- ARGV[7]: note
-- ARGV[8]: now (unix)
-- ARGV[9]: community
-- ARGV[10]: the owners' notice as a bot.Reply in JSON (a query's; the script addresses it to each
--   owner and puts the entry's number for each "\u0000entry" in it, as the default entry is found here)
-- ARGV[11]: who the history names for a link visitor ("link visitor NAME via confirm link"; '' for a person)
-- ARGV[12]: the partner the link was made for ('0' for a person). The link is the visitor's right.
-- ARGV[13]: the link generation the visitor's link carries ('' for a person): refused once revoke_links has moved on
-- Returns: {pledge_out, entry}, or an error: notfound, nopartner,
-- notpartner, linkpartner, linkrevoked, noentries, noentry "K COUNT", struck "K",
-- already "K OP".
local actor, n, op = ARGV[1], ARGV[4], ARGV[5]
local query = op == 'query'
local idem
if query then idem = idem_key(ARGV[3], 'pledge-query') else idem = idem_key(ARGV[3], 'pledge-confirm') end
local first = idem_result(idem)
if first then
  local was, k = string.match(first, '^(%d+):(%d+)$')
  if was == tostring(n) then return {pledge_out(n), tonumber(k)} end
end
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'theme', 'pt', 'cf', 'visibility', 'kg')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
local visitor = ARGV[11] ~= '' and ARGV[11]
if visitor and p[3] and p[3] ~= ARGV[12] then return fail('linkpartner', n) end
if visitor and (p[6] or '0') ~= ARGV[13] then return fail('linkrevoked', n) end
local member = p[3] and (visitor or redis.call('HEXISTS', base .. 'partner:' .. p[3] .. ':members', actor) == 1)
if not member and p[5] == 'private' and not biz_role(p[1], actor) and not is_admin(actor, ARGV[2]) then
  return fail('notfound', 'pledge ' .. n)
end
if not p[3] then return fail('nopartner', n) end
if not member then return fail('notpartner', n .. ' ' .. p[3]) end

local entries, k, err = pick_entry(n, tonumber(ARGV[6]) or 0)
if not entries then return err end
if entries[k].amount == 0 then return fail('struck', k) end
local states = entry_states(p[4])
local letter = query and 'q' or 'c'
if states[k] == letter then return fail('already', k .. ' ' .. op) end

-- The entry's amount moves between the figures' parts (confirmed,
-- awaiting confirmation, queried) in the months it touches.
local before = figures_touched(n)
states[k] = letter
redis.call('HSET', key, 'cf', states_field(states))
touched_move(before, figures_touched(n))
local e = {entry = k}
if ARGV[7] ~= '' then e.note = ARGV[7] end
local now = tonumber(ARGV[8])
record(query and 'queried' or 'confirmed', n, p[1], p[2], '0', now, visitor or actor, cjson.encode(e))
-- The business's history names them now: an erasure finds it through
-- person:WHO:past (ledger_forget), as for a member who left, and deleting
-- the business drops the pointer (business:N:past). A link visitor is no
-- person of the bot's: deleting the business empties its entries.
if not visitor then
  person_add(actor, 'past', p[1])
  redis.call('SADD', base .. 'business:' .. p[1] .. ':past', actor)
end
if query then
  local reply = replace_all(ARGV[10], '\\u0000entry', tostring(k))
  local members = redis.call('HGETALL', base .. 'business:' .. p[1] .. ':members')
  for i = 1, #members, 2 do
    if members[i + 1] == 'owner' then
      notice_to('query:' .. n .. ':' .. k .. ':' .. now .. ':' .. members[i], ARGV[9], members[i], reply)
    end
  end
end
remember(idem, n .. ':' .. k)
return {pledge_out(n), k}
