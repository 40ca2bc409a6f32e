dofile("check.lua")
check(type(nil) == "nil" and type(1) == "number" and type("") == "string", "type")
check(tostring(10) == "10" and tonumber("0x1F") == 31 and tonumber("z", 36) == 35, "tonumber")
check(tonumber("  12  ") == 12 and tonumber("1e2") == 100.0 and tonumber("x") == nil, "tonumber 2")
check(math.type(1) == "integer" and math.type(1.0) == "float", "math.type")
check(select("#", 1, nil, 3) == 3 and select(2, "a", "b", "c") == "b", "select")
local t = setmetatable({}, {__index = function(_, k) return k * 2 end})
check(t[21] == 42 and rawget(t, 21) == nil, "metatables")
check(rawequal(t, t) and rawlen({1, 2, 3}) == 3, "raw")
local n = 0
for k, v in pairs({a = 1, b = 2, c = 3}) do n = n + v end
check(n == 6, "pairs")
local s = 0
for i, v in ipairs({10, 20, 30, nil, 50}) do s = s + v end
check(s == 60, "ipairs stops at nil")
local f = load("return 1 + ...")
check(f(41) == 42, "load")
check(load("syntax error here") == nil, "load error")
local ok, msg = pcall(error, {code = 7})
check(not ok and msg.code == 7, "pcall with a table error")
local ok2, msg2 = xpcall(function() error("boom") end, function(m) return "handled: " .. m end)
check(not ok2 and msg2:find("handled:") == 1, "xpcall")
check(next({}) == nil, "next")
collectgarbage("collect")
check(collectgarbage("count") > 0, "collectgarbage")
local big = {}
for i = 1, 100000 do big[i] = {i} end
big = nil
collectgarbage()
print("base: 2^53 = " .. 2^53 .. ", 7 // 2 = " .. 7 // 2 .. ", 7 % -3 = " .. 7 % -3 .. ", 1/0 = " .. 1/0)
print("base: integer overflow wraps: " .. math.maxinteger + 1 .. ", 3 | 5 = " .. (3 | 5) .. ", ~0 = " .. ~0)
done("base")
