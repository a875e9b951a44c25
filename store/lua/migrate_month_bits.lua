-- Moves one month's business bits from keys of their own (releases before
-- monthly-bits-2026-12) into fields of the month's sums (mark_bits in
-- lua/figures.lua): bizbits:MONTH, bit N when business N wrote, becomes
-- field '~' as it is; bizthemes:MONTH, bit N*32+SLOT when it wrote about
-- the theme in SLOT, becomes a bitmap of businesses per slot, field
-- '~SLOT'. Each is OR-ed into what the field holds already (a write made
-- since the upgrade), and the old keys go, so a second run finds nothing.
-- KEYS[1]: tmp:bits (scratch bitmap)
-- Derived keys: sums:*, bizbits:*, bizthemes:*
-- ARGV[1]: month (YYYY-MM)
-- Returns: 1 when the month had bits to move, else 0.
local mo, tmp = ARGV[1], base .. 'tmp:bits'
local sums, bits, themes = base .. 'sums:' .. mo, base .. 'bizbits:' .. mo, base .. 'bizthemes:' .. mo
local old_bits, old_themes = redis.call('GET', bits), redis.call('GET', themes)
if not old_bits and not old_themes then return 0 end
-- The businesses of each slot, from the themes' bits (4 bytes a business).
local slots = {}
local t = old_themes or ''
for b = 0, math.floor((#t - 1) / 4) do
  for j = 1, 4 do
    local v = string.byte(t, b * 4 + j)
    if v and v > 0 then
      for k = 0, 7 do
        if bit_set(v, k) then
          local slot = (j - 1) * 8 + k
          slots[slot] = slots[slot] or {}
          table.insert(slots[slot], b)
        end
      end
    end
  end
end
-- merge ORs bitmap field f of the sums with the key src (or the bits
-- listed), through the scratch key, and writes it unless it is all zero.
local function merge(f, src, list)
  redis.call('DEL', tmp)
  local cur = redis.call('HGET', sums, f)
  if cur then redis.call('SET', tmp, cur) end
  if src then redis.call('BITOP', 'OR', tmp, tmp, src) end
  for _, b in ipairs(list or {}) do redis.call('SETBIT', tmp, b, 1) end
  if redis.call('BITCOUNT', tmp) > 0 then redis.call('HSET', sums, f, redis.call('GET', tmp)) end
end
if old_bits then merge('~', bits) end
for slot, list in pairs(slots) do merge('~' .. slot, nil, list) end
redis.call('DEL', tmp, bits, themes)
return 1
