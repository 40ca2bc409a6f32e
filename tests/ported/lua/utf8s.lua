dofile("check.lua")
local s = "héllo wörld ✓ 😀"
check(utf8.len(s) == 15, "len")
check(utf8.char(72, 233, 0x2713) == "Hé✓", "char")
local cps = {}
for _, c in utf8.codes(s) do cps[#cps + 1] = c end
print("utf8s: code points " .. table.concat(cps, " "))
check(utf8.codepoint(s, 2) == 233 and utf8.offset(s, 3) == 4, "codepoint, offset")
check(utf8.len("\xff") == nil, "invalid byte")
check(#utf8.charpattern > 0 and select(2, s:gsub(utf8.charpattern, "")) == 15, "charpattern")
done("utf8s")
