-- A shared assert that counts, so each script ends with how much it checked.
local count = 0
function check(cond, what)
  count = count + 1
  if not cond then error("check failed: " .. tostring(what), 2) end
end
function done(name)
  print(string.format("%s: %d checks passed", name, count))
  count = 0
end
