# Splits what scripts/run-domu.sh --pvh-too printed into one file per guest:
# the console after its "run-domu: ---- guest N of 2: type T ----" line, the
# verdict lines after "run-domu: guest N (T): " (with the indented lines
# that follow them).  Used by tests/lib.sh and scripts/regress.sh:
#
#   awk -v first=FILE1 -v second=FILE2 -f scripts/domu/split-out.awk OUTPUT
BEGIN { printf "" > first; printf "" > second; f = first }
/^run-domu: (---- )?guest 1 / { f = first }
/^run-domu: (---- )?guest 2 / { f = second }
{ print > f }
