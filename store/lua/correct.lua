-- Corrects one progress entry of a pledge: entry K (the K-th progress
-- entry of its history, from 1) becomes AMOUNT, 0 striking it. History
-- keeps the original and adds a "corrected" entry (who, when, why, what it
-- was); the pledge's progress and the figures of the month the entry was
-- logged in (so past periods follow) move by the difference, and the
-- ledger records the correction in the week it was made.
-- KEYS[1]: pledge:ARGV[4] (the pledge)
-- KEYS[2]: role:admin (the community's admins, is_admin)
-- KEYS[3]: outbox (the notices to send)
-- KEYS[4]: outbox-attempts (send attempts by notice)
-- KEYS[5]: theme-slots (themes' slots in the bitmaps)
-- KEYS[6]: months (the months holding figures)
-- KEYS[7]: outbox-dead (notices given up on)
-- KEYS[8]: area-sums (how far the area sums count)
-- KEYS[9]: districts (the districts with area sums)
-- KEYS[10]: people (people's own indexes, person_members in lua/prelude.lua)
-- KEYS[11]: day-sums (how far the day sums count)
-- Derived keys: business:*, updated:*, business-seen:*, idem:*, pledge:*, pledges:*, ledger:*, sums:*,
--   dbits:*, dsums:*, need:*, partner:*, persons:*, day:*, daybits:*
-- ARGV[1]: actor (identity key; idem_key files the request's record under it)
-- ARGV[2]: cfgadmin ('1': the platform says the actor is an admin)
-- ARGV[3]: req (the request's idempotency key, reqKey: replays answer the first result)
-- ARGV[4]: pledge
-- ARGV[5]: entry (0: the latest entry not struck)
-- ARGV[6]: amount (in the pledge's own unit: converted with its factor)
-- ARGV[7]: note
-- ARGV[8]: at (RFC 3339 UTC)
-- ARGV[9]: now (unix)
-- ARGV[10]: community
-- ARGV[11]: the partner's notice (bot.CorrectionNotice: a bot.Reply in JSON with placeholders)
-- ARGV[12]: the amount in words
-- ARGV[13]: the unit words made singular (JSON, '' unless one)
-- A partner's confirmation or query of the entry (cf, entry_states) no
-- longer holds for its new amount: the entry awaits confirmation again.
-- Returns: the pledge as pledge_out, or an error: notfound, forbidden,
-- noentries, noentry "K COUNT", unchanged "K".
local actor, cfg, idem, n = ARGV[1], ARGV[2], idem_key(ARGV[3], 'pledge-correct'), ARGV[4]
if replayed(idem, n) then return pledge_out(n) end
local key = base .. 'pledge:' .. n
local p = redis.call('HMGET', key, 'business', 'theme', 'progress', 'measure', 'factor', 'status')
if not p[1] then return fail('notfound', 'pledge ' .. n) end
local role = biz_role(p[1], actor)
local admin = is_admin(actor, cfg)
if not admin and not role then return fail('forbidden', 'pledge ' .. n) end
local theme, progress, rate, factor = p[2], tonumber(p[3]) or 0, p[4] == 'rate', tonumber(p[5]) or 1

local entries, k, err = pick_entry(n, tonumber(ARGV[5]) or 0)
if not entries then return err end
local entry = entries[k]
-- The person who logged it (while still in the business), the
-- business's owners and admins may correct it.
if not (admin or role == 'owner' or entry.by == actor) then
  return fail('notyours', k .. ' ' .. n)
end
local amount = tonumber(ARGV[6]) * factor
if math.abs(amount - entry.amount) < 1e-9 then return fail('unchanged', k) end
local was = entry.amount
local before = figures_touched(n)
entry.amount = amount

-- A total's progress is the sum of its entries; a rate's is the latest
-- entry not struck.
local new
if rate then
  new = 0
  for i = #entries, 1, -1 do
    if entries[i].amount ~= 0 then new = entries[i].amount break end
  end
else
  new = progress + amount - was
end
local delta = new - progress
redis.call('HSET', key, 'progress', decimal(new), 'updated_at', ARGV[9])
local states = entry_states(redis.call('HGET', key, 'cf'))
if states[k] then
  states[k] = nil
  local cf = states_field(states)
  if cf == '' then redis.call('HDEL', key, 'cf') else redis.call('HSET', key, 'cf', cf) end
end
local e = {at = ARGV[8], by = actor, kind = 'corrected', amount = amount, entry = k, changes = {was = decimal(was)}}
if ARGV[7] ~= '' then e.note = ARGV[7] end
local ev = cjson.encode(e)
if (p[6] or 'active') == 'active' then redis.call('ZADD', updated_key(n), ARGV[9], n) end
activity('corrected', n, p[1], theme, decimal(delta), ARGV[9], actor, event_extra(ev))
-- (after the history has the correction: pledge_atoms reads it)
touched_move(before, figures_touched(n))
-- A struck entry is no longer there to confirm: its partner's people are
-- not asked about it (requests still waiting in the outbox go). A
-- corrected one is asked about afresh, with its new amount: a request not
-- sent yet is replaced, and who was asked already (or had confirmed) is
-- asked again. The notices go with the correction, so a replay (which
-- returns early) asks nobody twice.
local pt = redis.call('HGET', key, 'pt')
if pt then
  outbox_drop_keys('^confirm:' .. n .. ':' .. k .. ':')
  if amount ~= 0 and (ARGV[11] or '') ~= '' then
    ask_partner(n, k, pt, actor, ARGV[10], ARGV[11], ARGV[12], ARGV[13])
  end
end
need_met(redis.call('HGET', key, 'nd'), ARGV[9])
remember(idem, n)
return pledge_out(n)
