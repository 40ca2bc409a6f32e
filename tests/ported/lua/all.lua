-- Runs every standard library's script in turn (minios's ported-program
-- test, tests/sdk.sh test_lua_ported): the guest's output must be the host's,
-- line for line.  Each script prints what it computed and a count of checks.
local scripts = {"base", "strings", "tables", "maths", "utf8s", "coroutines", "files", "oses", "errors"}
for _, name in ipairs(scripts) do
  local ok, err = pcall(dofile, name .. ".lua")
  if not ok then
    print(name .. ": FAILED: " .. tostring(err))
    os.exit(1)
  end
end
print("all " .. #scripts .. " scripts passed")
