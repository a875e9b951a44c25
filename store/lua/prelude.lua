-- The community's key base, e.g. "pb:{c42}:": every key a script touches
-- starts with it, so all of them hash to one cluster slot. KEYS[1] is a
-- real key of the community's (each script's header declares its keys,
-- built by the store from the same names, store/luaload.go); the base is
-- KEYS[1] up to and including the "}:" that closes its hash tag, the one
-- rule by which scripts build the keys they find from data (pledge:N for
-- a number read from an index: their headers' "Derived keys").
local base = string.match(KEYS[1], '^[^{]*%b{}:')

-- Pledge hashes are most of what is kept (one per pledge; a large
-- community has 100,000), and in Redis's compact hashes every byte of a
-- field name is paid again by every pledge. So they store one-letter names
-- (pledge_short), about 50 bytes a pledge less, while scripts and Go keep
-- reading and writing the long ones: the redis.call below translates the
-- field names of pledge:N keys, and only those, on the way in and out.
-- This table is the one place that knows the stored names; fields not in
-- it (lg, pt, cf, nd, kg, ob, oa, oc...) are short already. Data written
-- before is renamed once by lua/migrate_short_names.lua (Store.MigrateShortNames).
local pledge_short = {text = 'x', business = 'b', theme = 't', target = 'g', unit = 'u', created_by = 'w',
  created_at = 'c', updated_at = 'a', progress = 'p', factor = 'f', measure = 'm', due = 'd',
  visibility = 'v', status = 's', closed_at = 'z', snooze_until = 'n'}
local pledge_long = {}
for long, short in pairs(pledge_short) do pledge_long[short] = long end
-- short_name is a field's stored name: a long text's further parts, text2,
-- text3..., are x2, x3...
local function short_name(f)
  local s = pledge_short[f]
  if s then return s end
  local k = type(f) == 'string' and string.match(f, '^text(%d+)$')
  if k then return 'x' .. k end
  return f
end
local function long_name(f)
  local l = pledge_long[f]
  if l then return l end
  local k = string.match(f, '^x(%d+)$')
  if k then return 'text' .. k end
  return f
end
local raw_call = redis.call
-- A person's own indexes in a community, the businesses they are in, those
-- they left, the partners they act for and the needs they posted, are
-- fields of one hash, people: WHO, 'WHO past', 'WHO partners' and 'WHO
-- needs' -> the numbers, comma-separated. Up to members-people-2026-12
-- they were keys of their own, person:WHO, person:WHO:past, :partners and
-- :needs, about 140 bytes each per person, where a field costs 40 to 85.
-- Scripts read and write them with person_members, person_add and
-- person_rem; Go with store/people.go (personIndex); MigrateMembers moves
-- data written before (lua/migrate_person_keys.lua).
local function person_field(who, kind)
  if kind == '' then return who end
  return who .. ' ' .. kind
end
-- person_members is what index kind ('', 'past', 'partners', 'needs') of
-- person who holds: a list of numbers (strings).
-- (The field WHO may start with the person's number, '=N': person_number.)
local function person_members(who, kind)
  local out, v = {}, raw_call('HGET', base .. 'people', person_field(who, kind))
  if v then
    for m in string.gmatch(v, '[^,]+') do
      if string.byte(m) ~= 61 then out[#out + 1] = m end
    end
  end
  return out
end
-- person_number_of is the number of person who in the community, or nil.
local function person_number_of(who)
  local v = raw_call('HGET', base .. 'people', who)
  return v and string.match(v, '^=(%d+)')
end
local function person_put(who, kind, list)
  local n = kind == '' and person_number_of(who)
  if n then
    local l = {'=' .. n}
    for _, m in ipairs(list) do l[#l + 1] = m end
    list = l
  end
  if #list == 0 then return raw_call('HDEL', base .. 'people', person_field(who, kind)) end
  return raw_call('HSET', base .. 'people', person_field(who, kind), table.concat(list, ','))
end
-- People are numbered per community (issue 15): a pledge's created_by
-- holds its maker's number, 1 to 5 bytes, where the identity
-- ("slack:T0JWUTJ8WVZ:U01DQ1TZSDL", longer on Discord) cost about 27
-- bytes a pledge. The number is kept first in the person's field of
-- people, '=N' ('=7,3,12': person 7, in businesses 3 and 12), and the
-- identity of number N in persons:B, field N (B = N / persons_per, so
-- that each hash stays a compact listpack on Redis defaults: one hash of
-- a large community's 20,000 people would cost about 70 bytes a person,
-- a bucket about 35). Erasure drops both (person_forget): a number
-- without its identity reads as 'erased', as created_by read before.
-- Values stored before the numbers (identities) read as they are;
-- Store.MigratePersons numbers them. Scripts read no numbers: the
-- redis.call below turns a created_by read from a pledge hash into its
-- identity (person_identity); add_pledge.lua, which writes it, stores
-- person_number.
local persons_per = 128
local function persons_key(n)
  return base .. 'persons:' .. math.floor(tonumber(n) / persons_per)
end
-- person_number is the number of person who, given one if they have none.
local function person_number(who)
  local n = person_number_of(who)
  if n then return n end
  -- (the last number given is field n of persons:0: a key of its own
  -- would cost about 90 bytes a community)
  n = tostring(raw_call('HINCRBY', persons_key(0), 'n', 1))
  raw_call('HSET', persons_key(n), n, who)
  local v = raw_call('HGET', base .. 'people', who)
  raw_call('HSET', base .. 'people', who, v and ('=' .. n .. ',' .. v) or ('=' .. n))
  return n
end
-- person_identity is the identity a stored value names: a number's
-- identity, 'erased' once erasure dropped it, anything else as it is.
local function person_identity(v)
  if type(v) ~= 'string' or not string.find(v, '^%d+$') then return v end
  return raw_call('HGET', persons_key(v), v) or 'erased'
end
-- person_forget drops the number of person who (erasure): what stored it
-- reads as 'erased' from then on.
local function person_forget(who)
  local n = person_number_of(who)
  if n then raw_call('HDEL', persons_key(n), n) end
end
-- person_add adds number n to index kind of person who.
local function person_add(who, kind, n)
  n = tostring(n)
  local l = person_members(who, kind)
  for _, m in ipairs(l) do if m == n then return 0 end end
  l[#l + 1] = n
  person_put(who, kind, l)
  return 1
end
-- person_rem takes number n out of index kind of person who.
local function person_rem(who, kind, n)
  n = tostring(n)
  local l, found = {}, false
  for _, m in ipairs(person_members(who, kind)) do
    if m == n then found = true else l[#l + 1] = m end
  end
  if found then person_put(who, kind, l) end
  return found and 1 or 0
end
-- person_any says whether person who has any of the indexes kinds.
local function person_any(who, kinds)
  for _, k in ipairs(kinds) do
    -- (WHO may hold their number alone: in no business)
    if k == '' and #person_members(who, '') > 0 then return true end
    if k ~= '' and raw_call('HEXISTS', base .. 'people', person_field(who, k)) == 1 then return true end
  end
  return false
end
-- A business's people and pledges are fields of its hash business:N, not
-- keys of their own: its members ('@' .. identity -> role), when they joined ('^' ..
-- identity -> unix) and who left it ('~' .. identity -> ''). A key costs
-- about 100 bytes before what it holds, and every business had one
-- members hash of one or two people (issue 15: about 25 bytes a pledge).
-- Scripts keep using the names business:N:members, :joined and :past and
-- the commands of a hash, a zset and a set on them: folded_call below
-- turns those into commands on fields of business:N. Go reads them with
-- store/business.go (businessPeople); data written before is moved once by
-- lua/migrate_members.lua (Store.MigrateMembers).
-- Its pledges too ('#' .. number -> '', scripts: the set business:N:pledges),
-- about 20 bytes a pledge less than a set of their own. (A business of more
-- than about 110 pledges makes its hash a table of about 60 bytes an entry
-- instead of a compact one; few do.)
local folded_prefix = {members = '@', joined = '^', past = '~', pledges = '#'}
-- The people's fields name them by their number ('@7', person_number),
-- not their identity: about 27 bytes a field less (issue 15). Scripts
-- keep using identities: folded_name gives a field's stored name (a
-- number given when give, for a write), folded_fields the identities back.
-- Fields written before the numbers (Store.MigratePersons renames them)
-- are found by identity while the person has no number.
local person_prefix = {['@'] = true, ['^'] = true, ['~'] = true}
local function folded_name(p, who, give)
  if not person_prefix[p] then return p .. who end
  if give then return p .. person_number(who) end
  return p .. (person_number_of(who) or who)
end
-- folded_fields is what a folded key holds: {name, value, ...} of the
-- fields of hash key with prefix p, the prefix taken off.
local function folded_fields(key, p)
  local out, h = {}, raw_call('HGETALL', key)
  for i = 1, #h, 2 do
    if string.sub(h[i], 1, 1) == p then
      local name = string.sub(h[i], 2)
      out[#out + 1] = person_prefix[p] and person_identity(name) or name
      out[#out + 1] = h[i + 1]
    end
  end
  return out
end
-- folded_read reads (HGET, HEXISTS) the field of person who, by number,
-- else by identity as written before the numbers.
local function folded_read(cmd, k, p, who)
  local name = folded_name(p, who)
  local v = raw_call(cmd, k, name)
  if (v == false or v == 0) and name ~= p .. who then v = raw_call(cmd, k, p .. who) end
  return v
end
-- folded_del deletes the fields of people names (both names of each), and
-- says how many were there.
local function folded_del(k, p, names)
  local n = 0
  for _, who in ipairs(names) do
    local name = folded_name(p, who)
    local gone = raw_call('HDEL', k, name)
    if name ~= p .. who then gone = math.max(gone, raw_call('HDEL', k, p .. who)) end
    n = n + gone
  end
  return n
end
-- folded_set writes the field of person who by number (nx: only if it is
-- not there), dropping one by identity, and says whether it is new.
local function folded_set(k, p, who, value, nx)
  local name = folded_name(p, who, true)
  if name == p .. who then
    return raw_call(nx and 'HSETNX' or 'HSET', k, name, value)
  end
  local old = raw_call('HGET', k, p .. who)
  if old then
    raw_call('HDEL', k, p .. who)
    raw_call('HSET', k, name, nx and old or value)
    return 0
  end
  return raw_call(nx and 'HSETNX' or 'HSET', k, name, value)
end
local folded_call = {
  HSET = function(k, p, a)
    local n = 0
    for i = 1, #a, 2 do n = n + folded_set(k, p, a[i], a[i + 1]) end
    return n
  end,
  HGET = function(k, p, a) return folded_read('HGET', k, p, a[1]) end,
  HEXISTS = function(k, p, a) return folded_read('HEXISTS', k, p, a[1]) end,
  HDEL = function(k, p, a) return folded_del(k, p, a) end,
  HGETALL = function(k, p) return folded_fields(k, p) end,
  HKEYS = function(k, p)
    local out, f = {}, folded_fields(k, p)
    for i = 1, #f, 2 do out[#out + 1] = f[i] end
    return out
  end,
  HVALS = function(k, p)
    local out, f = {}, folded_fields(k, p)
    for i = 2, #f, 2 do out[#out + 1] = f[i] end
    return out
  end,
  HLEN = function(k, p) return #folded_fields(k, p) / 2 end,
  -- ZADD [NX] SCORE MEMBER (one member: all the scripts add)
  ZADD = function(k, p, a)
    if a[1] == 'NX' then return folded_set(k, p, a[3], a[2], true) end
    return folded_set(k, p, a[2], a[1])
  end,
  ZSCORE = function(k, p, a) return folded_read('HGET', k, p, a[1]) end,
  ZREM = function(k, p, a) return folded_del(k, p, a) end,
  SADD = function(k, p, a)
    local n = 0
    for _, m in ipairs(a) do n = n + folded_set(k, p, m, '', true) end
    return n
  end,
  SREM = function(k, p, a) return folded_del(k, p, a) end,
  SISMEMBER = function(k, p, a) return folded_read('HEXISTS', k, p, a[1]) end,
  SMEMBERS = function(k, p)
    local out, f = {}, folded_fields(k, p)
    for i = 1, #f, 2 do out[#out + 1] = f[i] end
    return out
  end,
  DEL = function(k, p)
    local names = {}
    for _, f in ipairs(raw_call('HKEYS', k)) do
      if string.sub(f, 1, 1) == p then names[#names + 1] = f end
    end
    if #names == 0 then return 0 end
    raw_call('HDEL', k, unpack(names))
    return 1
  end,
}
-- folded_kind says how key is kept: 'business' (folded_call: fields of
-- business:N with prefix p, hash key h), or nil: a key of its own.
local function folded_kind(key)
  local biz, part = string.match(key, '^business:(%d+):(%a+)$', #base + 1)
  local p = folded_prefix[part]
  if p then return 'business', p, base .. 'business:' .. biz end
  return nil
end
-- folded_do runs cmd on one folded key; EXISTS, DEL and SUNION on several
-- keys (some may be folded, some not) go key by key.
local function folded_do(cmd, keys, args)
  if cmd == 'EXISTS' or cmd == 'DEL' or cmd == 'SUNION' then
    local n, out, seen = 0, {}, {}
    for _, k in ipairs(keys) do
      local kind, p, h = folded_kind(k)
      if cmd == 'SUNION' then
        local ms = kind and folded_call.SMEMBERS(h, p) or raw_call('SMEMBERS', k)
        for _, m in ipairs(ms) do
          if not seen[m] then seen[m], out[#out + 1] = true, m end
        end
      elseif kind and cmd == 'EXISTS' then n = n + (#folded_fields(h, p) > 0 and 1 or 0)
      elseif kind then n = n + folded_call.DEL(h, p)
      else n = n + raw_call(cmd, k) end
    end
    if cmd == 'SUNION' then return out end
    return n
  end
  local _, p, h = folded_kind(keys[1])
  local f = folded_call[cmd]
  if not f then error('no ' .. cmd .. ' on a folded key: ' .. keys[1]) end
  return f(h, p, args)
end
-- Pledges are kept packed (issue 15): pledge N is one string in the hash
-- pledges:B (B = N / pledge_per), not a hash of its own, pledge:N, whose
-- key and field names cost about 150 bytes a pledge. Redis keeps a hash
-- compact (a listpack) only while each value is at most 64 bytes
-- (hash-max-listpack-value) and it has at most 128 fields
-- (hash-max-listpack-entries), so the string is cut into parts of
-- pledge_chunk bytes (pledge_part_name), and a bucket holds 32 pledges of
-- about 3 parts each. Scripts keep calling hash
-- commands on pledge:N: the wrapper below emulates them on the packed
-- string (pledge_cmd). Releases before kept pledge:N hashes: the first
-- access to one packs it (pledge_load), and Store.MigratePacked packs
-- them all at start-up.
local pledge_per, pledge_chunk = 32, 63
-- pledge_part_name is the field of part k of pledge n's string: I + 32 *
-- (k - 1), I being n's place in its bucket (0 to 31). Every name is a
-- small whole number, which a listpack keeps in one byte (up to 127: the
-- first four parts), where 'N' and 'Nb' took 4 to 7.
local function pledge_part_name(n, k)
  return string.format('%d', tonumber(n) % pledge_per + pledge_per * (k - 1))
end
-- The packed string: a byte giving how many of pledge_slots follow, each
-- a length (pack_len; byte 0: the field is absent) and its bytes, then the
-- fields outside pledge_slots (or whose value its slot cannot hold) as
-- length, name, length, value, and last the ledger pointers lg, which
-- grow with every write, as the rest of the string after an empty name:
-- an entry appended changes the last part or two, and pledge_save writes
-- only the parts that changed. Slots are in order of how often pledges
-- have them, and the absent ones at the end are left out. Every length
-- prefixes its bytes, so a value may hold any byte. Fields are kept by
-- their stored names (pledge_short); a long text (x, oc) is whole, and lg
-- its first part (pledge_ext keeps the others).
-- This order and pack_words are in stored data: only ever append.
local pledge_slots = {'x', 'b', 't', 'g', 'u', 'w', 'c', 'a', 'p', 's', 'd', 'z', 'v', 'm', 'f', 'n', 'pt',
  'cf', 'nd', 'kg', 'ob', 'oa', 'oc'}
local pledge_slot = {}
for i, f in ipairs(pledge_slots) do pledge_slot[f] = i end
-- Slots of whole numbers (business, maker's number, unix times) hold them
-- in binary, big endian (1769688412: 4 bytes, not 10); a value that is not
-- a plain decimal (no sign, no leading 0, at most 15 digits: an identity
-- stored before people were numbered) goes after the slots.
-- The due date too ('date'), YYYY-MM-DD, as its day number from 1970
-- (2 bytes, not 10; pack_day).
local pledge_int = {b = true, w = true, c = true, a = true, z = true, n = true, oa = true, kg = true, d = 'date'}

-- pack_day is the day number of date YYYY-MM-DD from 1 January 1970, or
-- nil for anything else (a day that does not exist, before 1970);
-- unpack_day its inverse (H. Hinnant's days_from_civil and
-- civil_from_days, in whole numbers).
local function unpack_day(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d, m = doy - math.floor((153 * mp + 2) / 5) + 1, mp < 10 and mp + 3 or mp - 9
  return string.format('%04d-%02d-%02d', yoe + era * 400 + (m <= 2 and 1 or 0), m, d)
end
local function pack_day(v)
  local y, m, d = string.match(v, '^(%d%d%d%d)%-(%d%d)%-(%d%d)$')
  if not y then return nil end
  y, m, d = tonumber(y) - (tonumber(m) <= 2 and 1 or 0), tonumber(m), tonumber(d)
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * (m > 2 and m - 3 or m + 9) + 2) / 5) + d - 1
  local z = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
  if z < 0 or unpack_day(z) ~= v then return nil end
  return string.format('%d', z)
end
-- Values most pledges share (the default themes, their units and other
-- spellings of them, statuses) are kept as one byte below 32 in any other
-- slot; a one-byte value below 32 of its own goes after the slots.
local pack_words = {'local-hiring', 'apprenticeships', 'inclusive-hiring', 'schools', 'buy-local', 'fair-pay',
  'prompt-payment', 'volunteering', 'sponsorship', 'expert-help', 'carbon', 'waste', 'people (FTE)',
  'weeks of apprenticeship', 'placement weeks', '£ local spend', '% staff on the real Living Wage',
  '% invoices paid within 30 days', 'hours', '£', 'tonnes CO2e', 'tonnes', 'done', 'lapsed', 'withdrawn',
  'rate', 'private', 'kg', 'minutes', '£k', 'active'}
local pack_code = {}
for i, w in ipairs(pack_words) do pack_code[w] = string.char(i) end

-- pack_len is the length prefix of a value of n bytes: n + 1 in a byte up
-- to 248 bytes, else 250 and two bytes, or 251 and three.
local function pack_len(n)
  if n < 249 then return string.char(n + 1) end
  if n < 65536 then return string.char(250, math.floor(n / 256), n % 256) end
  return string.char(251, math.floor(n / 65536), math.floor(n / 256) % 256, n % 256)
end

-- unpack_len reads the length prefix at i of s: the length (nil: absent)
-- and where the value starts.
local function unpack_len(s, i)
  local c = string.byte(s, i)
  if c < 250 then
    if c == 0 then return nil, i + 1 end
    return c - 1, i + 1
  end
  if c == 250 then
    local a, b = string.byte(s, i + 1, i + 2)
    return a * 256 + b, i + 3
  end
  local a, b, d = string.byte(s, i + 1, i + 3)
  return (a * 256 + b) * 256 + d, i + 4
end

-- pledge_encode packs h (stored name -> value) into its string.
local function pledge_encode(h)
  local out, last, rest = {}, 0, {}
  for i, f in ipairs(pledge_slots) do
    local v, enc = h[f], nil
    if v then
      if pledge_int[f] then
        local x = v
        if pledge_int[f] == 'date' then x = pack_day(v) or '-' end
        if x == '0' then enc = ''
        elseif #x <= 15 and string.find(x, '^[1-9]%d*$') then
          local n, b = tonumber(x), {}
          while n > 0 do
            table.insert(b, 1, string.char(n % 256))
            n = math.floor(n / 256)
          end
          enc = table.concat(b)
        end
      elseif pack_code[v] then enc = pack_code[v]
      elseif #v ~= 1 or string.byte(v) >= 32 then enc = v end
      if enc then
        out[i], last = pack_len(#enc) .. enc, i
      else
        rest[#rest + 1] = pack_len(#f) .. f .. pack_len(#v) .. v
      end
    end
  end
  for i = 1, last do out[i] = out[i] or '\0' end
  for f, v in pairs(h) do
    if not pledge_slot[f] and f ~= 'lg' then rest[#rest + 1] = pack_len(#f) .. f .. pack_len(#v) .. v end
  end
  if h.lg then rest[#rest + 1] = pack_len(0) .. h.lg end
  return string.char(last) .. table.concat(out, '', 1, last) .. table.concat(rest)
end

-- pledge_decode is pledge_encode's inverse.
local function pledge_decode(s)
  local h, i = {}, 2
  for k = 1, string.byte(s, 1) do
    local n
    n, i = unpack_len(s, i)
    if n then
      local f, v = pledge_slots[k], string.sub(s, i, i + n - 1)
      if pledge_int[f] then
        local x = 0
        for j = i, i + n - 1 do x = x * 256 + string.byte(s, j) end
        v = pledge_int[f] == 'date' and unpack_day(x) or string.format('%.0f', x)
      elseif n == 1 and string.byte(v) < 32 then
        v = pack_words[string.byte(v)]
      end
      h[f], i = v, i + n
    end
  end
  while i <= #s do
    local n, f
    n, i = unpack_len(s, i)
    if n == 0 then
      h.lg = string.sub(s, i)
      break
    end
    f, i = string.sub(s, i, i + n - 1), i + n
    n, i = unpack_len(s, i)
    h[f], i = string.sub(s, i, i + n - 1), i + n
  end
  return h
end

-- pledge_save writes pledge entry e (pledge_load) back: its string's
-- parts, dropping those a longer string had; no fields delete it. A long
-- text's further parts (x2..., oc2..., written by long_set and releases
-- before) join its first.
local function pledge_save(e)
  local h = e[1]
  for _, f in ipairs({'x', 'oc'}) do
    if h[f .. '2'] then
      local parts, k = {h[f] or ''}, 2
      while h[f .. k] do
        parts[#parts + 1], h[f .. k] = h[f .. k], nil
        k = k + 1
      end
      h[f] = table.concat(parts)
    end
  end
  local old, parts, set, stale = e[2], {}, {}, {}
  if next(h) == nil then
    e[1] = false
  else
    local s = pledge_encode(h)
    for i = 1, #s, pledge_chunk do
      local k = #parts + 1
      parts[k] = string.sub(s, i, i + pledge_chunk - 1)
      -- (only the parts that changed: Lua compares strings by reference)
      if parts[k] ~= old[k] then
        set[#set + 1] = pledge_part_name(e[4], k)
        set[#set + 1] = parts[k]
      end
    end
    if #set > 0 then raw_call('HSET', e[3], unpack(set)) end
  end
  for k = #parts + 1, #old do stale[#stale + 1] = pledge_part_name(e[4], k) end
  if #stale > 0 then raw_call('HDEL', e[3], unpack(stale)) end
  e[2] = parts
end

-- A long history's ledger pointers are the exception: lg's further parts,
-- lg2, lg3... (lgn counts them; lg_append in lua/figures.lua adds to the
-- last), are fields of their own in the bucket, I:2, I:3... (I: n's
-- place in its bucket, pledge_part_name), so that a
-- write to a pledge of thousands of entries reads and writes one part of
-- 64 bytes, not the whole history. pledge_ext is the bucket field of
-- stored name f of pledge n when it is one of those, else nil.
local function pledge_ext(n, f)
  local k = string.match(f, '^lg(%d+)$')
  if k then return (tonumber(n) % pledge_per) .. ':' .. k end
  return nil
end

-- pledge_cache holds the pledges this call of the script has read or
-- written (pledge_load): pledge:N -> {fields, its string's parts as
-- stored, bucket, n}, fields false when there is none.
local pledge_cache = {}

-- pledge_load reads pledge key (pledge:N): its entry in pledge_cache.
-- A pledge hash of a release before (short or long field names) is packed
-- on the way and deleted.
local function pledge_load(key)
  local e = pledge_cache[key]
  if e then return e end
  local n = string.match(key, '(%d+)$')
  e = {false, {}, base .. 'pledges:' .. math.floor(tonumber(n) / pledge_per), n}
  pledge_cache[key] = e
  -- (most pledges take 2 to 4 parts: one call; a long history more)
  local parts, k, batch = e[2], 1, 4
  while true do
    local names = {}
    for j = k, k + batch - 1 do names[#names + 1] = pledge_part_name(n, j) end
    local got = raw_call('HMGET', e[3], unpack(names))
    for j = 1, batch do
      if not got[j] then break end
      parts[#parts + 1] = got[j]
    end
    if #parts < k + batch - 1 then break end
    k, batch = k + batch, batch * 4
  end
  if #parts > 0 then
    e[1] = pledge_decode(table.concat(parts))
    return e
  end
  if raw_call('EXISTS', key) == 0 then return e end
  local old, h = raw_call('HGETALL', key), {}
  for i = 1, #old, 2 do
    local f = short_name(old[i])
    local ext = pledge_ext(n, f)
    if ext then raw_call('HSET', e[3], ext, old[i + 1]) else h[f] = old[i + 1] end
  end
  e[1] = h
  pledge_save(e)
  raw_call('DEL', key)
  return e
end

-- pledge_number is a number as HINCRBYFLOAT writes it: whole numbers in
-- full, others to 15 significant digits (0.1 + 0.2 is 0.3).
local function pledge_number(x)
  if x == math.floor(x) and math.abs(x) < 2 ^ 53 then return string.format('%.0f', x) end
  return string.format('%.15g', x)
end

-- pledge_arg is a command's argument as Redis reads it: a number as the
-- shortest decimal that reads back the same.
local function pledge_arg(v)
  if type(v) ~= 'number' then return v end
  if v == math.floor(v) and math.abs(v) < 2 ^ 53 then return string.format('%.0f', v) end
  for d = 15, 16 do
    local s = string.format('%.' .. d .. 'g', v)
    if tonumber(s) == v then return s end
  end
  return string.format('%.17g', v)
end

-- pledge_cmd runs hash command cmd (and EXISTS, DEL, TYPE) on pledge key
-- with arguments a, field names long or stored, as Redis would on a hash.
local function pledge_cmd(cmd, key, a)
  local e = pledge_load(key)
  local h = e[1]
  -- (lg2...: fields of the bucket, pledge_ext)
  local ext = a[1] and (cmd == 'HGET' or cmd == 'HEXISTS' or cmd == 'HSTRLEN' or cmd == 'HSETNX' or
    cmd == 'HINCRBY' or cmd == 'HINCRBYFLOAT') and pledge_ext(e[4], short_name(a[1]))
  if ext then return raw_call(cmd, e[3], ext, select(2, unpack(a))) end
  -- (created_by holds its maker's number: person_identity reads it back)
  if cmd == 'HGET' then
    local v = h and h[short_name(a[1])] or false
    if a[1] == 'created_by' then return person_identity(v) end
    return v
  end
  if cmd == 'HMGET' then
    local out = {}
    for i, f in ipairs(a) do
      local x = pledge_ext(e[4], short_name(f))
      if x then out[i] = raw_call('HGET', e[3], x)
      else out[i] = h and h[short_name(f)] or false end
      if f == 'created_by' then out[i] = person_identity(out[i]) end
    end
    return out
  end
  if cmd == 'HEXISTS' then return h and h[short_name(a[1])] and 1 or 0 end
  if cmd == 'EXISTS' then return h and 1 or 0 end
  if cmd == 'TYPE' then return {ok = h and 'hash' or 'none'} end
  if cmd == 'HSTRLEN' then return h and #(h[short_name(a[1])] or '') or 0 end
  if cmd == 'HGETALL' or cmd == 'HKEYS' or cmd == 'HVALS' or cmd == 'HLEN' then
    local out, n = {}, 0
    local all = {}
    for f, v in pairs(h or {}) do all[f] = f == 'w' and person_identity(v) or v end
    for k = 2, (tonumber(all.lgn) or 0) + 1 do all['lg' .. k] = raw_call('HGET', e[3], pledge_ext(e[4], 'lg' .. k)) or nil end
    for f, v in pairs(all) do
      n = n + 1
      if cmd ~= 'HVALS' then out[#out + 1] = long_name(f) end
      if cmd ~= 'HKEYS' then out[#out + 1] = v end
    end
    if cmd == 'HLEN' then return n end
    return out
  end
  if cmd == 'DEL' or cmd == 'UNLINK' then
    if not h then return 0 end
    for k = 2, (tonumber(h.lgn) or 0) + 1 do raw_call('HDEL', e[3], pledge_ext(e[4], 'lg' .. k)) end
    e[1] = {}
    pledge_save(e)
    return 1
  end
  h = h or {}
  local out = 0
  if cmd == 'HSET' or cmd == 'HMSET' then
    for i = 1, #a, 2 do
      local f = short_name(a[i])
      local x = pledge_ext(e[4], f)
      if x then out = out + raw_call('HSET', e[3], x, a[i + 1])
      else
        if not h[f] then out = out + 1 end
        h[f] = pledge_arg(a[i + 1])
      end
    end
    if cmd == 'HMSET' then out = {ok = 'OK'} end
  elseif cmd == 'HSETNX' then
    local f = short_name(a[1])
    if h[f] then return 0 end
    h[f], out = pledge_arg(a[2]), 1
  elseif cmd == 'HDEL' then
    local core = 0
    for _, f in ipairs(a) do
      f = short_name(f)
      local x = pledge_ext(e[4], f)
      if x then out = out + raw_call('HDEL', e[3], x)
      elseif h[f] then h[f], out, core = nil, out + 1, core + 1 end
    end
    if core == 0 then return out end
  elseif cmd == 'HINCRBY' or cmd == 'HINCRBYFLOAT' then
    local f = short_name(a[1])
    local v = tonumber(h[f] or '0')
    if not v then error('ERR hash value is not a number: ' .. key .. ' ' .. a[1]) end
    v = v + tonumber(a[2])
    h[f] = pledge_number(v)
    out = cmd == 'HINCRBY' and v or h[f]
  else
    error('no ' .. cmd .. ' on a packed pledge: ' .. key)
  end
  e[1] = h
  pledge_save(e)
  return out
end

-- Every call of every script goes through it, so a key that is not a
-- pledge's is let through on its first letter after the base, most often.
-- (DEL, EXISTS and UNLINK of several keys go key by key when the first is
-- a pledge's.)
local pledge_at, byte, find = #base + 1, string.byte, string.find
local redis = setmetatable({call = function(cmd, key, ...)
  if key == nil then return raw_call(cmd) end -- (TIME)
  local b = byte(key, pledge_at)
  -- (business:N:members, :joined, :past, :pledges: folded_do)
  if b == 98 and folded_kind(key) then
    return folded_do(cmd, {key, ...}, {...})
  end
  if b ~= 112 or not find(key, '^pledge:%d+$', pledge_at) then return raw_call(cmd, key, ...) end
  if select('#', ...) > 0 and (cmd == 'DEL' or cmd == 'EXISTS' or cmd == 'UNLINK') then
    local n = pledge_cmd(cmd, key, {})
    for _, k in ipairs({...}) do
      if find(k, '^pledge:%d+$', pledge_at) then n = n + pledge_cmd(cmd, k, {}) else n = n + raw_call(cmd, k) end
    end
    return n
  end
  return pledge_cmd(cmd, key, {...})
end}, {__index = redis})

-- The active pledges' last changes are kept in zsets of updated_per
-- pledges each, updated:B for pledges B*updated_per to B*updated_per+127:
-- Redis keeps a zset of at most 128 entries compact (a listpack,
-- zset-max-listpack-entries), about 12 bytes an entry, where one zset of
-- all of a large community's pledges took about 80 (issue 15). A sweep
-- reads every bucket by range (nudge_candidates.lua): 800 calls at
-- 100,000 pledges. Releases before kept one zset, updated
-- (Store.MigrateUpdated moves it).
local updated_per = 128
local function updated_key(n)
  return base .. 'updated:' .. math.floor(tonumber(n) / updated_per)
end

-- due and business-seen are bucketed the same way, and for the same
-- reason (one zset of a large community's 33,000 due dates cost 26 bytes
-- a pledge, of its 20,000 businesses' last activity 19): due:B by pledge
-- number, business-seen:B by business number. Releases before kept one
-- zset of each (Store.MigrateIndexBuckets moves them).
local function due_key(n)
  return base .. 'due:' .. math.floor(tonumber(n) / updated_per)
end
local function seen_key(biz)
  return base .. 'business-seen:' .. math.floor(tonumber(biz) / updated_per)
end

-- bucket_keys lists the buckets of index name ('due', 'business-seen')
-- that numbers up to the counter seq ('seq:pledge', 'seq:business') use.
local function bucket_keys(name, seq)
  local out = {}
  for b = 0, math.floor(tonumber(redis.call('GET', base .. seq) or '0') / updated_per) do
    out[#out + 1] = base .. name .. ':' .. b
  end
  return out
end

-- buckets_below reads, across buckets (bucket_keys), the first limit
-- members scored below before, lowest score first and equal scores by
-- member, as one zset's ZRANGEBYSCORE -inf (before LIMIT 0 limit orders
-- them, and how many are below before in all.
local function buckets_below(keys, before, limit)
  local all, count = {}, 0
  for _, k in ipairs(keys) do
    local got = limit > 0 and redis.call('ZRANGEBYSCORE', k, '-inf', '(' .. before, 'WITHSCORES', 'LIMIT', 0, limit) or {}
    -- (a bucket short of limit has told how many it holds)
    count = count + (#got / 2 < limit and #got / 2 or redis.call('ZCOUNT', k, '-inf', '(' .. before))
    for i = 1, #got, 2 do all[#all + 1] = {got[i], tonumber(got[i + 1])} end
  end
  table.sort(all, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    return a[1] < b[1]
  end)
  local out = {}
  for i = 1, math.min(limit, #all) do out[i] = all[i][1] end
  return out, count
end

-- fail is the error reply for a refusal: "PB CODE DETAIL", which the store
-- turns into a scriptError (store/redis.go fail) and words for people.
local function fail(code, detail)
  return redis.error_reply('PB ' .. code .. ' ' .. (detail or ''))
end

-- own_business is the one business the actor acts for, when a command
-- names none, or nil and the error to return: a person in several must say
-- which.
local function own_business(actor)
  local mine = person_members(actor, '')
  if #mine == 0 then return nil, fail('nobusiness') end
  if #mine > 1 then return nil, fail('manybusinesses', table.concat(mine, ',')) end
  return mine[1]
end

-- holders counts the people holding role in a members hash (a business's
-- or a partner's), so that its last owner cannot leave it without one.
local function holders(members, role)
  local n = 0
  for _, v in ipairs(redis.call('HVALS', members)) do
    if v == role then n = n + 1 end
  end
  return n
end

-- is_admin says whether the actor is an admin: the platform says so (cfg,
-- a script's cfgadmin argument, '1') or the community's role:admin holds them.
local function is_admin(actor, cfg)
  return cfg == '1' or redis.call('SISMEMBER', base .. 'role:admin', actor) == 1
end

-- biz_role is the actor's role in business biz ('owner', 'member'), or
-- false when they are not one of its people.
local function biz_role(biz, actor)
  return redis.call('HGET', base .. 'business:' .. biz .. ':members', actor)
end

-- Replays of one request id return the first result instead of acting twice.
-- A person's request records live in one hash per UTC day of the server's
-- clock (TIME: real time, whatever clock the caller dates its writes by),
-- idem:ACTOR:DAY (DAY = unix days; ACTOR is ARGV[1] in every script, by
-- their number in the community, idem_key),
-- field CODE..REQ -> the first result, CODE being the operation's letter
-- (idem_codes) and REQ 48 bits of the digest Go makes of the platform's id
-- (store/pledge.go reqKey), as 6 bytes (req_bytes): for one person's
-- requests of two days to hold two alike takes about 16 million of them
-- (half a chance), and with a thousand the chance is under 1 in 500
-- million. The field names the operation and the hash
-- the person, so an id can never answer for another command or person; scripts that act on a numbered record store that
-- number and replay only when it matches. A replay looks in today's and
-- yesterday's hash; a day's hash expires at the end of the next day, when
-- no replay looks at it any more, so a record lives 24 to 48 hours. One
-- hash a person a day costs one key and its expiry instead of one per
-- request, and erasure deletes a person's records by name
-- (erase_person.lua). Values never name a person (set_member.lua stores a
-- digest).
-- A record is one of the most numerous things kept (one a write), so its
-- operation is a letter and its digest 6 bytes: 'pledge-progress:' and 16
-- characters cost 20 bytes a record more, and the 11 characters of
-- releases up to 2cc2921 13 bytes a pledge (their hashes of 20 records
-- took 504 bytes, now 376).
local idem_codes = {['pledge-add'] = 'a', ['pledge-progress'] = 'p', ['pledge-edit'] = 'e',
  ['pledge-correct'] = 'k', ['pledge-reopen'] = 'r', ['pledge-snooze'] = 's', ['pledge-transition'] = 't',
  ['business-register'] = 'b', ['business-delete'] = 'd', ['business-member'] = 'm', ['s172-log'] = 'L',
  ['s172-amend'] = 'A', ['s172-stk'] = 'S', ['business-edit'] = 'E', ['partner-register'] = 'R',
  ['partner-member'] = 'M', ['pledge-confirm'] = 'C', ['pledge-query'] = 'Q', ['pledge-reply'] = 'Y',
  ['pledge-outcome'] = 'O', ['partner-delete'] = 'D', ['need-post'] = 'n', ['need-close'] = 'z',
  ['confirm-revoke'] = 'w'}

-- req_bytes turns the first 8 characters of a digest in base64url (48
-- bits) into 6 bytes.
local function req_bytes(req)
  local digits, out = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', ''
  for i = 1, 5, 4 do
    local v = 0
    for j = i, i + 3 do
      v = v * 64 + ((string.find(digits, string.sub(req, j, j), 1, true) or 1) - 1)
    end
    out = out .. string.char(math.floor(v / 65536), math.floor(v / 256) % 256, v % 256)
  end
  return out
end

-- idem_key is where the record of request req (reqKey) for operation op
-- lives: {hash prefix, day, field, the field's older names, the hash
-- prefix by identity, the actor}; nil when req is '' (a request that
-- cannot be retried keeps no record). The hash is named by the actor's
-- number in the community (person_number) once they have one: an
-- identity in every day's key name cost 28 to 47 bytes a hash.
local function idem_key(req, op)
  if req == '' then return nil end
  local day = math.floor(tonumber(redis.call('TIME')[1]) / 86400)
  local code = idem_codes[op] or (op .. ':')
  local by_id = base .. 'idem:' .. ARGV[1] .. ':'
  local n = person_number_of(ARGV[1])
  return {n and (base .. 'idem:' .. n .. ':') or by_id, day, code .. req_bytes(req), op .. ':' .. req,
    code .. string.sub(req, 1, 11), by_id, ARGV[1]}
end

-- idem_result is the first result of the request, or false. Releases
-- up to 0361339 named the field OP:REQ, and up to 2cc2921 CODE and 11
-- characters of the digest, and up to persons-business-2026-12 the hash
-- by the actor's identity: a retry across the upgrade finds its record
-- under those names (for the 48 hours records live).
local function idem_result(idem)
  if not idem then return false end
  for d = idem[2], idem[2] - 1, -1 do
    for _, prefix in ipairs(idem[1] == idem[6] and {idem[1]} or {idem[1], idem[6]}) do
      local v = redis.call('HMGET', prefix .. d, idem[3], idem[4], idem[5])
      if v[1] or v[2] or v[3] then return v[1] or v[2] or v[3] end
    end
  end
  return false
end

-- replayed says whether the request already acted on record number n: a
-- script that acts on a numbered record replays only when the numbers match.
local function replayed(idem, n)
  return idem and idem_result(idem) == tostring(n)
end

-- remember keeps value as the request's first result, in today's hash,
-- which expires at the end of the next day: the actor's number's when
-- they have one, else their identity's. It never gives a number: one
-- given here to someone the community has no other record of (an admin
-- set in configuration editing a business) would keep their identity in
-- persons:B where erasure, which visits the communities Go lists for
-- them, never looks. An actor that is no person (an identity is
-- platform:workspace:user, without spaces) or whose number the script
-- dropped (delete_business.lua forgetting its deleter) files by identity.
local function remember(idem, value)
  if not idem then return end
  local prefix, who = idem[6], idem[7]
  -- (a deletion that forgot its actor dropped their number: by identity)
  local n = string.find(who, '^[^: ]+:[^: ]+:[^ ]+$') and person_number_of(who)
  if n then prefix = base .. 'idem:' .. n .. ':' end
  local key = prefix .. idem[2]
  redis.call('HSET', key, idem[3], value)
  redis.call('EXPIREAT', key, (idem[2] + 2) * 86400)
end

-- Long values (a pledge's text, its ledger pointers lg) are kept in
-- fields of at most 64 bytes, FIELD, FIELD2, FIELD3...: Redis keeps a hash
-- compact (a listpack) only while every value is at most
-- hash-max-listpack-value bytes, 64 by default, and one 70-byte text made
-- its pledge cost 936 bytes instead of 368. Go joins them (store/long.go).

-- long_fields splits value into fields from FIELD<first> on (first 1 is
-- FIELD itself), flat {name, part, ...}, never inside a UTF-8 character.
local function long_fields(field, value, first)
  local out, i, k = {}, 1, first or 1
  repeat
    local j = math.min(i + 63, #value)
    while j < #value and j > i do
      local b = string.byte(value, j + 1)
      if b < 128 or b >= 192 then break end
      j = j - 1
    end
    out[#out + 1] = k == 1 and field or (field .. k)
    out[#out + 1] = string.sub(value, i, j)
    i, k = j + 1, k + 1
  until i > #value
  return out
end

-- long_parts reads a long value's parts: the first alone (most values
-- have one part, and an HMGET of many names cost ten times an HGET), then
-- more at a time.
local function long_parts(key, field)
  local first = redis.call('HGET', key, field)
  if not first then return {} end
  local parts, k, batch = {first}, 2, 2
  while true do
    local names = {}
    for j = k, k + batch - 1 do names[#names + 1] = field .. j end
    for _, v in ipairs(redis.call('HMGET', key, unpack(names))) do
      if not v then return parts end
      parts[#parts + 1] = v
    end
    k, batch = k + batch, math.min(batch * 4, 32)
  end
end

-- long_get reads a long value (nil when its first field is absent).
local function long_get(key, field)
  local parts = long_parts(key, field)
  if #parts == 0 then return nil end
  return table.concat(parts)
end

-- long_set writes a long value, dropping the fields a longer one had.
local function long_set(key, field, value)
  local old = #long_parts(key, field)
  local h = long_fields(field, value)
  redis.call('HSET', key, unpack(h))
  local stale = {}
  for k = #h / 2 + 1, old do stale[#stale + 1] = field .. k end
  if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
end

-- audit_id reads an audit list entry's id (see audit): its ms and SEQ.
local function audit_id(entry)
  local ms, seq = string.match(entry, '^(%w+)%-?(%d*)|')
  return tonumber(ms, 36), tonumber(seq) or 0
end

-- Every other state change goes to the community's audit list (a pledge
-- write's record is its ledger entry, which Store.Audit merges in), one
-- string an entry, oldest first: "ID|action|business|pledge|by|detail".
-- ID is the time in ms, base 36, then "-SEQ" when SEQ > 0: as a stream's
-- ids, unique and never decreasing (a clock that steps back writes the
-- last ms again with the next SEQ), so the list stays in order for
-- TrimAudit and the scrub's cursor (audit_scrub.lua). by has '%' and '|'
-- escaped (%25, %7C); detail, last, is as given. A list of short strings
-- is a few listpack nodes where a stream reserves a radix tree and nodes
-- (4.7 KB a community for 20 entries). Age trimming is done by TrimAudit;
-- the LTRIM is only a safety cap. A community whose audit is still a
-- stream (the audit migration, store.MigrateAudit, not run yet) gets
-- stream entries, which the migration then converts.
local function audit(by, action, biz, pledge, detail)
  local key = base .. 'audit'
  if redis.call('TYPE', key)['ok'] == 'stream' then
    redis.call('XADD', key, 'MAXLEN', '~', 1000000, '*', 'by', by, 'action', action,
      'business', tostring(biz or ''), 'pledge', tostring(pledge or ''), 'detail', detail or '')
    return
  end
  local t = redis.call('TIME')
  local ms, seq = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), 0
  local last = redis.call('LINDEX', key, -1)
  if last then
    local lms, lseq = audit_id(last)
    if ms <= lms then ms, seq = lms, lseq + 1 end
  end
  local digits, id = '0123456789abcdefghijklmnopqrstuvwxyz', ''
  repeat
    local d = ms % 36
    id, ms = string.sub(digits, d + 1, d + 1) .. id, (ms - d) / 36
  until ms == 0
  if seq > 0 then id = id .. '-' .. seq end
  local who = string.gsub(string.gsub(tostring(by or ''), '%%', '%%25'), '|', '%%7C')
  redis.call('RPUSH', key, table.concat({id, action, tostring(biz or ''), tostring(pledge or ''), who, detail or ''}, '|'))
  redis.call('LTRIM', key, -1000000, -1)
end

-- pledge_out is a script's answer about pledge n: {n, its fields as
-- field/value pairs, business name}: the fields store/pledge.go reads
-- (decodePledge), not the pointers into the ledger (lg), which grow with
-- its history. A script that has just written every field, or already read
-- the business's name, passes them to save the reads.
local pledge_fields = {'business', 'theme', 'target', 'unit', 'created_by', 'created_at', 'updated_at',
  'progress', 'factor', 'measure', 'due', 'visibility', 'status', 'pt', 'cf', 'nd', 'kg', 'ob', 'oa'}
local function pledge_out(n, h, name)
  local key = base .. 'pledge:' .. n
  if not h then
    h = {}
    local v = redis.call('HMGET', key, unpack(pledge_fields))
    for i, f in ipairs(pledge_fields) do
      if v[i] then h[#h + 1] = f; h[#h + 1] = v[i] end
    end
    for i, part in ipairs(long_parts(key, 'text')) do
      h[#h + 1] = i == 1 and 'text' or ('text' .. i)
      h[#h + 1] = part
    end
    -- (an outcome, outcome.lua, is long too; its who and when, the last
    -- fields read, say it is there)
    if v[#pledge_fields] then
      for i, part in ipairs(long_parts(key, 'oc')) do
        h[#h + 1] = i == 1 and 'oc' or ('oc' .. i)
        h[#h + 1] = part
      end
    end
  end
  if not name then
    name = ''
    local biz
    for i = 1, #h, 2 do
      if h[i] == 'business' then biz = h[i + 1] break end
    end
    if biz then name = redis.call('HGET', base .. 'business:' .. biz, 'name') or '' end
  end
  return {tostring(n), h, name}
end

-- Loads a pledge the actor may change; returns fields or an error reply.
local function changeable(n, actor, cfg)
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'business', 'status', 'theme', 'target', 'progress', 'measure', 'factor')
  if not p[1] then return nil, fail('notfound', 'pledge ' .. n) end
  if not is_admin(actor, cfg) and not biz_role(p[1], actor) then
    return nil, fail('forbidden', 'pledge ' .. n)
  end
  return {business = p[1], status = p[2] or 'active', theme = p[3], target = tonumber(p[4]) or 0,
    progress = tonumber(p[5]) or 0, rate = p[6] == 'rate', factor = tonumber(p[7]) or 1}, nil
end


-- replace_all replaces every plain (not pattern) occurrence of old in s.
local function replace_all(s, old, new)
  local out, from = '', 1
  while true do
    local i, j = string.find(s, old, from, true)
    if not i then return out .. string.sub(s, from) end
    out = out .. string.sub(s, from, i - 1) .. new
    from = j + 1
  end
end

-- outbox_each calls visit(stream, key, entry, fields) for every notice
-- waiting in the outbox or given up on in outbox-dead, in batches of 500
-- (fields: the entry's field -> value).
local function outbox_each(visit)
  for _, stream in ipairs({'outbox', 'outbox-dead'}) do
    local key, cursor = base .. stream, '-'
    while true do
      local entries = redis.call('XRANGE', key, cursor, '+', 'COUNT', 500)
      for _, e in ipairs(entries) do
        local f = {}
        for j = 1, #e[2], 2 do f[e[2][j]] = e[2][j + 1] end
        visit(stream, key, e, f)
      end
      if #entries < 500 then break end
      cursor = '(' .. entries[#entries][1]
    end
  end
end

-- json_text is s as it reads inside a JSON string, as Go writes it (&, <
-- and > as \u0026, \u003c, \u003e: delete_business.lua finds names so).
local function json_text(s)
  local t = string.sub(cjson.encode(s), 2, -2)
  t = replace_all(t, '&', '\\u0026')
  t = replace_all(t, '<', '\\u003c')
  return replace_all(t, '>', '\\u003e')
end

-- notice_to puts a notice to one person (an identity "platform:ws:user")
-- in the outbox under key id; reply is a bot.Reply in JSON. Nothing for
-- an identity that does not parse.
local function notice_to(id, community, who, reply)
  local platform, ws, user = string.match(who, '^([^:]+):([^:]+):(.+)$')
  if not platform then return end
  local notice = '{"ID":' .. cjson.encode(id) .. ',"Community":' .. cjson.encode(community) ..
    ',"To":' .. cjson.encode({Platform = platform, Workspace = ws, User = user}) .. ',"Reply":' .. reply .. '}'
  redis.call('XADD', base .. 'outbox', '*', 'key', id, 'notice', notice)
end

-- outbox_drop takes one notice out: XDEL, not a rebuild, keeps the
-- senders' consumer group; XACK and the attempts field follow it out.
local function outbox_drop(stream, key, id)
  redis.call('XDEL', key, id)
  if stream == 'outbox' then
    redis.pcall('XACK', key, 'senders', id)
    redis.call('HDEL', base .. 'outbox-attempts', id)
  end
end

-- outbox_drop_keys drops every notice waiting or given up on whose key
-- matches the Lua pattern.
local function outbox_drop_keys(pattern)
  outbox_each(function(stream, key, e, f)
    if string.match(f.key or '', pattern) then outbox_drop(stream, key, e[1]) end
  end)
end

-- A scheduled notice about a pledge (a nudge, key nudge:N:KIND:PERIOD, or
-- a lapse notice to an owner, lapsed:N:CLOSED:PERSON) is decided once in
-- the pledge's own hash pledge:N:once, field the key without its
-- "nudge:N:" ("stale:1790000000") or with "lapsed:N:" shortened to
-- "lapsed:" ("lapsed:1790000000:slack:T1:U1"), value when the decision
-- lapses (unix, server clock); the hash expires with its last decision.
-- Deleting a pledge and erasing a person find them there by name, where
-- a string once:KEY per notice could only be found by a SCAN. Releases
-- before wrote once:KEY: enqueue.lua still honours those, and dropping a
-- field drops its string too.
local function notice_field(key)
  local n, rest = string.match(key, '^nudge:(%d+):(.+)$')
  if n then return n, rest end
  n, rest = string.match(key, '^lapsed:(%d+):(.+)$')
  if n then return n, 'lapsed:' .. rest end
  return nil
end

-- notice_key is the notice key of pledge n's field: notice_field's inverse.
local function notice_key(n, field)
  local rest = string.match(field, '^lapsed:(.+)$')
  if rest then return 'lapsed:' .. n .. ':' .. rest end
  return 'nudge:' .. n .. ':' .. field
end

-- notice_decide decides pledge n's notice (its key and field) for ttl
-- seconds, and says whether it was still undecided. Decisions that have
-- lapsed leave the hash on the way.
local function notice_decide(n, key, field, ttl)
  local k = base .. 'pledge:' .. n .. ':once'
  local now = tonumber(redis.call('TIME')[1])
  if tonumber(redis.call('HGET', k, field) or '0') > now or redis.call('EXISTS', base .. 'once:' .. key) == 1 then
    return false
  end
  local h = redis.call('HGETALL', k)
  for j = 1, #h, 2 do
    if (tonumber(h[j + 1]) or 0) <= now then redis.call('HDEL', k, h[j]) end
  end
  redis.call('HSET', k, field, now + ttl)
  if redis.call('TTL', k) < ttl then redis.call('EXPIRE', k, ttl) end
  return true
end

-- notices_drop forgets pledge n's decided notices: every one, or those
-- whose field which(field) accepts.
local function notices_drop(n, which)
  local k = base .. 'pledge:' .. n .. ':once'
  for _, f in ipairs(redis.call('HKEYS', k)) do
    if not which or which(f) then
      redis.call('HDEL', k, f)
      redis.call('DEL', base .. 'once:' .. notice_key(n, f))
    end
  end
end

-- forget_people removes what names people in the community besides their
-- memberships, histories, roles and audit entries: their request records
-- (idem:PERSON:DAY, one hash a UTC day of the server's clock, see idem_key:
-- today's, yesterday's, and the day before's should the clock have just
-- turned, deleted by name), their nudge settings (need-nudges too), and notices addressed to
-- them or naming them (a partner's notice says who logged or corrected
-- an entry: bot.Mention, "\u001fID\u001f" in the notice's JSON as Go
-- writes it) still waiting in the outbox or given up on, in one pass over
-- each stream. XDEL, not a rebuild, keeps the senders' consumer group; XACK
-- and the attempts field follow the entry out. people: identity -> true.
local function forget_people(people)
  if next(people) == nil then return end
  local today = math.floor(tonumber(redis.call('TIME')[1]) / 86400)
  local to_of, named = {}, {}
  for who in pairs(people) do
    local n = person_number_of(who)
    for d = today - 2, today do
      redis.call('DEL', base .. 'idem:' .. who .. ':' .. d)
      if n then redis.call('DEL', base .. 'idem:' .. n .. ':' .. d) end
    end
    redis.call('HDEL', base .. 'nudge-prefs', who)
    redis.call('HDEL', base .. 'nudge-when', who)
    redis.call('HDEL', base .. 'nudged', who)
    redis.call('SREM', base .. 'need-nudges', who)
    to_of[who] = true
    named[#named + 1] = '\\u001f' .. who .. '\\u001f'
  end
  outbox_each(function(stream, key, e, f)
    local text = f.notice or ''
    local ok, n = pcall(cjson.decode, text)
    local to = ok and type(n) == 'table' and type(n.To) == 'table' and n.To or {}
    local drop = type(to.User) == 'string' and to_of[tostring(to.Platform) .. ':' .. tostring(to.Workspace) .. ':' .. to.User]
    for _, m in ipairs(named) do
      drop = drop or string.find(text, m, 1, true) ~= nil
    end
    if drop then outbox_drop(stream, key, e[1]) end
  end)
end
