-- Reads needs with the pledges made against them and their figures.
-- KEYS[1]: theme-slots (themes' slots in the bitmaps)
-- KEYS[2]: needs (open needs)
-- KEYS[3]: people (people's numbers, by which businesses' fields name them: folded_name)
-- Derived keys: business:*, pledge:*, pledges:*, ledger:*, need:*, persons:*
-- ARGV[1..]: need numbers, or none for the latest 500
-- Returns: one row a need: {n, {field, value, ...}, pledges}, each pledge
-- {n, business, business name, visibility, status, target, delivered,
-- confirmed, awaiting, queried} (amounts in the theme's unit, as strings:
-- Redis would cut a Lua number to an integer; delivered by who says so as
-- the summaries split it: self-reported is what the three leave, all of
-- a pledge that names no partner); withdrawn pledges are left out. A need
-- that does not exist has no row.
local ids = ARGV
if #ids == 0 then ids = redis.call('ZREVRANGE', base .. 'needs', 0, 499) end
local names = {}
local function biz_name(b)
  if names[b] == nil then names[b] = redis.call('HGET', base .. 'business:' .. b, 'name') or '' end
  return names[b]
end
local out = {}
for _, n in ipairs(ids) do
  local h = redis.call('HGETALL', base .. 'need:' .. n)
  if #h > 0 then
    local ps = {}
    for _, pn in ipairs(redis.call('SMEMBERS', base .. 'need:' .. n .. ':pledges')) do
      local p = redis.call('HMGET', base .. 'pledge:' .. pn, 'business', 'status', 'target', 'progress', 'cf', 'visibility', 'pt')
      if p[1] and p[2] ~= 'withdrawn' then
        -- Only a pledge its partner has confirmed or queried entries of
        -- reads its ledger entries; the rest of a partner's pledge's
        -- progress awaits confirmation.
        local confirmed, awaiting, queried = 0, 0, 0
        if p[7] then
          if p[5] and p[5] ~= '' then
            local states = entry_states(p[5])
            for k, e in ipairs(progress_entries(pn)) do
              if states[k] == 'c' then confirmed = confirmed + e.amount end
              if states[k] == 'q' then queried = queried + e.amount end
            end
          end
          awaiting = (tonumber(p[4] or '0') or 0) - confirmed - queried
        end
        ps[#ps + 1] = {pn, p[1], biz_name(p[1]), p[6] or 'public', p[2] or 'active', p[3] or '0', p[4] or '0',
          decimal(confirmed), decimal(awaiting), decimal(queried)}
      end
    end
    out[#out + 1] = {n, h, ps}
  end
end
return out
