dofile("check.lua")
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end return "end" end)
check(gen() == 1 and gen() == 2 and gen() == 3 and gen() == "end", "wrap")
local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
check(select(2, coroutine.resume(co, 1, 2)) == 3, "resume 1")
check(select(2, coroutine.resume(co, 10)) == 20, "resume 2")
check(select(2, coroutine.resume(co, 3, 4)) == 7 and coroutine.status(co) == "dead", "resume 3")
check(not coroutine.resume(co), "resume dead")
local bad = coroutine.create(function() error("inside") end)
local ok, err = coroutine.resume(bad)
check(not ok and err:find("inside"), "error inside")
check(coroutine.isyieldable() == false and coroutine.running() ~= nil, "main")
local function producer()
  return coroutine.create(function()
    for i = 1, 1000 do coroutine.yield(i * i) end
  end)
end
local p, total = producer(), 0
while true do
  local _, v = coroutine.resume(p)
  if not v then break end
  total = total + v
end
print("coroutines: sum of squares 1..1000 = " .. total)
local closed = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closed)
check(coroutine.close(closed) and coroutine.status(closed) == "dead", "close")
done("coroutines")
