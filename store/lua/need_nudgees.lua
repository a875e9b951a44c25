-- Reads, for the weekly "needs near you" message, everyone who opted in
-- (need-nudges) with the businesses they act for: each business's name,
-- postcode and the themes of its pledges (any status: a theme it has
-- pledged in). A business shared by several people is read once.
-- KEYS[1]: need-nudges (people nudged of needs)
-- KEYS[2]: people (people's own indexes, person_members in lua/prelude.lua)
-- Derived keys: business:*, person:*, pledge:*, pledges:*, persons:*
-- Returns: {{identity, {biz...}}...} and {{biz, name, postcode, theme...}...}.
local people, bizs, seen = {}, {}, {}
for _, who in ipairs(redis.call('SMEMBERS', base .. 'need-nudges')) do
  local mine = person_members(who, '')
  people[#people + 1] = {who, mine}
  for _, b in ipairs(mine) do
    if not seen[b] then
      seen[b] = true
      local bk = base .. 'business:' .. b
      local h = redis.call('HMGET', bk, 'name', 'postcode')
      if h[1] then
        local row, themes = {b, h[1], h[2] or ''}, {}
        for _, n in ipairs(redis.call('SMEMBERS', bk .. ':pledges')) do
          local th = redis.call('HGET', base .. 'pledge:' .. n, 'theme')
          if th and not themes[th] then
            themes[th] = true
            row[#row + 1] = th
          end
        end
        bizs[#bizs + 1] = row
      end
    end
  end
end
return {people, bizs}
