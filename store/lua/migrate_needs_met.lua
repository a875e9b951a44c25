-- Gives met_at to the needs that are met but have none: met before the
-- release that keeps met_at (need_met in lua/figures.lua), whose next
-- write would otherwise set it then and list the need under the digest's
-- "Needs met this week" long after. met_at is when the need last became
-- met, replayed from its pledges' ledger entries: each progress entry at
-- its time and each correction at its own, by the difference it made, as
-- need_met saw them. Needs whose entries do not reach the target (none
-- kept: data older than the ledger) get their creation time: the
-- earliest they can have been met, so never later than when they were,
-- and never a time to come (a need's close is no better: it may come
-- after its meeting, even in the week a digest covers). A need that has
-- met_at keeps it. One call walks every need (a few hundred at most).
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: migrations (the migrations done)
-- KEYS[3]: needs (open needs)
-- KEYS[4]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, need:*, persons:*
-- ARGV[1]: the release that migrates, remembered in the migrations hash (field needs-met);
--   '' for a repair (pledgebot rebuild-figures), run whether done or not and not remembered
-- Returns: how many needs it dated, or -1 when it was already done.
local release = ARGV[1]
if release ~= '' and redis.call('HEXISTS', base .. 'migrations', 'needs-met') == 1 then return -1 end
local dated = 0
for _, nd in ipairs(redis.call('ZRANGE', base .. 'needs', 0, -1)) do
  local key = base .. 'need:' .. nd
  local h = redis.call('HMGET', key, 'target', 'met_at', 'created_at')
  local target = tonumber(h[1] or '')
  if target and target > 0 and not h[2] then
    local function met(x) return x >= target - target * 1e-12 end -- as need_met
    local delivered, events = 0, {}
    for _, pn in ipairs(redis.call('SMEMBERS', key .. ':pledges')) do
      local p = redis.call('HMGET', base .. 'pledge:' .. pn, 'status', 'progress', 'business')
      if p[3] and p[1] ~= 'withdrawn' then
        delivered = delivered + (tonumber(p[2] or '0') or 0)
        local amounts = {}
        for _, e in ipairs(pledge_log(pn)) do
          local amount = tonumber(e.amount) or 0
          if e.kind == 'progress' then
            amounts[#amounts + 1] = amount
            events[#events + 1] = {unix_of(e.at), #events, amount}
          elseif e.kind == 'corrected' and amounts[tonumber(e.entry) or 0] then
            local k = tonumber(e.entry)
            events[#events + 1] = {unix_of(e.at), #events, amount - amounts[k]}
            amounts[k] = amount
          end
        end
      end
    end
    if met(delivered) then
      table.sort(events, function(a, b)
        if a[1] ~= b[1] then return a[1] < b[1] end
        return a[2] < b[2]
      end)
      local sum, at = 0, nil
      for _, ev in ipairs(events) do
        sum = sum + ev[3]
        if not met(sum) then
          at = nil
        elseif not at then
          at = ev[1]
        end
      end
      if not at or at == 0 then at = tonumber(h[3] or '') or 0 end
      if at > 0 then
        redis.call('HSET', key, 'met_at', at)
        dated = dated + 1
      end
    end
  end
end
if release ~= '' then redis.call('HSET', base .. 'migrations', 'needs-met', release) end
return dated
