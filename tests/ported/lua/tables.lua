dofile("check.lua")
local t = {5, 3, 8, 1, 9, 2}
table.sort(t)
check(table.concat(t, ",") == "1,2,3,5,8,9", "sort")
table.sort(t, function(a, b) return a > b end)
check(table.concat(t, ",") == "9,8,5,3,2,1", "sort with a comparator")
table.insert(t, 1, 100)
table.insert(t, 7)
check(t[1] == 100 and t[#t] == 7 and #t == 8, "insert")
check(table.remove(t, 1) == 100 and table.remove(t) == 7 and #t == 6, "remove")
local u = table.pack(1, nil, 3)
check(u.n == 3 and select("#", table.unpack(u, 1, u.n)) == 3, "pack, unpack")
local m = table.move({1, 2, 3}, 1, 3, 2, {9})
check(table.concat(m, ",") == "9,1,2,3", "move")
local words = {}
for i = 1, 1000 do words[i] = string.format("w%04d", (i * 7919) % 1000) end
table.sort(words)
check(words[1] == "w0000" and words[1000] == "w0999", "sort 1000 strings")
local seen = {}
for i = 1, 50000 do seen[i % 977] = (seen[i % 977] or 0) + 1 end
local total = 0
for _, v in pairs(seen) do total = total + v end
check(total == 50000, "hash part")
print("tables: " .. table.concat({1, 2.5, "x"}, " | "))
done("tables")
