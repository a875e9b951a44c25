-- Asking a partner's people about a progress entry (progress.lua, and
-- correct.lua for a corrected amount).

-- amount_words is bot.FormatAmount's text for an amount logged: number
-- (already in words), then the unit, its first plural word made singular
-- by the table singular (JSON, '' when the amount is not one).
local function amount_words(number, singular, unit)
  if unit == '' then return number end
  if unit == '£' or unit == '£ local spend' or unit == 'GBP' then return '£' .. number end
  if unit == '£k' then return '£' .. number .. 'k' end
  if singular ~= '' then
    local one, words, done = cjson.decode(singular), {}, false
    for w in string.gmatch(unit, '[^ ]+') do
      if not done and one[w] then w, done = one[w], true end
      words[#words + 1] = w
    end
    if done then unit = table.concat(words, ' ') end
  end
  return number .. ' ' .. unit
end

-- ask_partner puts notice (a bot.Reply in JSON, with the entry, business
-- and amount placeholders) about entry k of pledge n, made to partner pt,
-- to each of the partner's people but actor, key confirm:N:K:PERSON.
-- number and singular word the amount (amount_words).
local function ask_partner(n, k, pt, actor, community, notice, number, singular)
  local key = base .. 'pledge:' .. n
  local p = redis.call('HMGET', key, 'business', 'unit')
  local b = redis.call('HGET', base .. 'business:' .. p[1], 'name') or ''
  local reply = replace_all(notice, '\\u0000entry', tostring(k))
  reply = replace_all(reply, '\\u0000business', json_text(b))
  reply = replace_all(reply, '\\u0000amount', json_text(amount_words(number, singular, p[2] or '')))
  local people = redis.call('HGETALL', base .. 'partner:' .. pt .. ':members')
  for i = 1, #people, 2 do
    if people[i] ~= actor then notice_to('confirm:' .. n .. ':' .. k .. ':' .. people[i], community, people[i], reply) end
  end
end
