dofile("check.lua")
check(("hello"):upper() == "HELLO" and ("ABC"):lower() == "abc", "case")
check(("abc"):rep(3, "-") == "abc-abc-abc" and ("abc"):reverse() == "cba", "rep, reverse")
check(("hello world"):find("o w") == 5 and ("hello"):find("l+") == 3, "find")
check(("key = value"):match("(%w+)%s*=%s*(%w+)") == "key", "match")
local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w end
check(#words == 4 and words[4] == "fox", "gmatch")
check(("hello"):gsub("l", "L") == "heLLo", "gsub")
check(select(2, ("a.b.c"):gsub("%.", "/")) == 2, "gsub count")
check(("x=1 y=2"):gsub("(%w)=(%w)", "%2=%1") == "1=x 2=y", "gsub captures")
check(("abc"):byte(1, -1) == 97 and string.char(72, 105) == "Hi", "byte, char")
check(#string.pack("i4", 7) == 4 and string.unpack("i4", string.pack("i4", -9)) == -9, "pack")
check(string.unpack("<I2", "\1\2") == 513 and string.packsize("i8d") == 16, "unpack, packsize")
check(("%d"):format(3.0) == "3", "format of an integral float")
for _, spec in ipairs({"%5.2f", "%e", "%g", "%x", "%X", "%o", "%q", "%s", "%-8s|", "%+d", "%a"}) do
  local v = spec == "%q" and "a\nb\"c\0" or ((spec:find("[xXo]") or spec == "%+d") and 255)
    or (spec:find("s") and "str") or 3.14159
  print("strings: format " .. spec .. " -> " .. string.format(spec, v))
end
print("strings: " .. string.format("%.14g %.3f %10.4e", math.pi, -0.0005, 123456.789))
print("strings: tostring(1e100) = " .. tostring(1e100) .. ", 0.1 + 0.2 = " .. 0.1 + 0.2)
check(tostring(-0.0) == "-0.0" and tostring(1e15) == "1e+15", "float to string")
check(("  trim  "):match("^%s*(.-)%s*$") == "trim", "trim")
check(("%bxy"):len() == 4 and ("(a(b)c)"):match("%b()") == "(a(b)c)", "%b")
check(("THE (quick) fox"):find("%((%a+)%)") == 5, "escaped parens")
check(("f(a,b)"):match("%f[%w]%w+") == "f", "frontier")
local parts = {}
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do parts[#parts + 1] = k .. v end
check(table.concat(parts, ";") == "a1;b2;c3", "gmatch pairs")
local long = string.rep("x", 100000)
check(#long == 100000 and long:sub(-3) == "xxx", "long strings")
check(string.len(string.dump(function() return 1 end)) > 0, "dump")
done("strings")
