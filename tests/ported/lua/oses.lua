dofile("check.lua")
check(os.time() > 1700000000, "os.time is the wall clock")
check(os.time({year = 2000, month = 1, day = 1, hour = 12}) > 0, "os.time of a table")
check(os.date("!%Y-%m-%d %H:%M:%S", 0) == "1970-01-01 00:00:00", "os.date of 0")
print("oses: " .. os.date("!%A %B %d %Y %j", 1000000000))
local d = os.date("!*t", 86400 * 365)
check(d.year == 1971 and d.month == 1 and d.day == 1 and d.yday == 1, "os.date *t")
check(os.difftime(10, 4) == 6.0, "difftime")
local c0 = os.clock()
local x = 0
for i = 1, 200000 do x = x + i end
check(os.clock() >= c0, "os.clock")
check(os.getenv("MINIOS_SURELY_UNSET_VARIABLE") == nil, "getenv")
local name = os.tmpname()
check(type(name) == "string" and #name > 0, "tmpname")
os.remove(name)
check(os.setlocale("C") == "C" and os.setlocale() == "C", "setlocale C")
-- newlib has no locale data: it takes any language name with a charset it
-- knows (glibc refuses names it has no data for); both refuse an unknown charset.
check(os.setlocale("xx_YY.NO-SUCH-CHARSET") == nil, "an unknown locale")
done("oses")
