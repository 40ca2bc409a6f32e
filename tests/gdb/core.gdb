# The commands of the `domu-core` test (tests/domu.sh) on a crashed domU's
# core, as docs/debugging.md shows them: `gdb -x scripts/gdb/minios.py
# build/fault/minios.elf build/fault/core`.
info threads
thread apply all bt
minios threads
minios bt bystander
minios cpus
