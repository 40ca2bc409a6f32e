# The commands of the `gdb` test (tests/guest.sh), as a user would type them
# once `make debug APP=tests/guest/fault ARGS=ud2` has stopped in main().
next
next
print kind
break fault_ud2
continue
bt
minios threads
minios bt bystander
minios runq
minios cpus
minios evtchn
minios console 3
finish
