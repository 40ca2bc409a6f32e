dofile("check.lua")
check(math.floor(3.7) == 3 and math.ceil(3.2) == 4 and math.abs(-4) == 4, "floor, ceil, abs")
check(math.max(1, 9, 3) == 9 and math.min(4, -2) == -2, "max, min")
check(math.huge > 1e308 and -math.huge < -1e308, "huge")
check(math.fmod(7, 3) == 1 and math.fmod(-7, 3) == -1, "fmod")
check(math.tointeger(3.0) == 3 and math.tointeger(3.5) == nil, "tointeger")
check(math.ult(1, -1) and not math.ult(-1, 1), "ult")
check(select(2, math.modf(3.75)) == 0.75, "modf")
for _, x in ipairs({0.5, 1, 2, 10}) do
  print(string.format("maths: x=%g sqrt=%.12g exp=%.12g log=%.12g log10=%.12g sin=%.12g cos=%.12g tan=%.12g",
    x, math.sqrt(x), math.exp(x), math.log(x), math.log(x, 10), math.sin(x), math.cos(x), math.tan(x)))
  print(string.format("maths: x=%g asin=%.12g acos=%.12g atan=%.12g atan2=%.12g log2=%.12g",
    x, math.asin(x / 10), math.acos(x / 10), math.atan(x), math.atan(x, 3), math.log(x, 2)))
end
math.randomseed(42)
local a = {}
for i = 1, 5 do a[i] = math.random(1, 1000) end
math.randomseed(42)
for i = 1, 5 do check(math.random(1, 1000) == a[i], "randomseed repeats") end
print("maths: random after randomseed(42): " .. table.concat(a, " "))
for i = 1, 1000 do
  local r = math.random()
  check(r >= 0 and r < 1, "random in [0, 1)")
end
print("maths: pi = " .. math.pi .. ", maxinteger = " .. math.maxinteger .. ", mininteger = " .. math.mininteger)
local sum = 0.0
for i = 1, 100000 do sum = sum + 1 / (i * i) end
print(string.format("maths: sum 1/i^2 = %.15f", sum))
done("maths")
