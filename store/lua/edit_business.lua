-- Changes a business's company details (legal form, size, figures, year end).
-- ARGV: actor, cfgadmin, req, business, then field/value pairs among form,
-- size, figs, ye; an empty value removes the field (unknown again).
-- Returns 'ok'.
local actor, cfg, idem, biz = ARGV[1], ARGV[2], idem_key(ARGV[3], 'business-edit'), ARGV[4]
if replayed(idem, biz) then return 'ok' end
local key = base .. 'business:' .. biz
if redis.call('EXISTS', key) == 0 then return fail('notfound', 'business ' .. biz) end
if not is_admin(actor, cfg) and biz_role(biz, actor) ~= 'owner' then return fail('forbidden', 'edit ' .. biz) end
local allowed = {form = true, size = true, figs = true, ye = true}
local said = {}
for i = 5, #ARGV, 2 do
  local f, v = ARGV[i], ARGV[i + 1]
  if not allowed[f] then return fail('invalid', 'field ' .. f) end
  if v == '' then
    redis.call('HDEL', key, f)
  else
    redis.call('HSET', key, f, v)
  end
  said[#said + 1] = f
end
audit(actor, 'business.edit', biz, '', table.concat(said, ' '))
remember(idem, biz)
return 'ok'
