# Checks the print storm's output (tests/guest/print_storm): every line whole
# and exactly once, each thread's lines in order.  Prints "ok SWITCHES" (how
# often consecutive lines came from different threads) or the first problems.
function expected_payload(me, i, len,    j, s) {
    s = ""
    for (j = 0; j < len; j++)
        s = s substr("abcdefghijklmnopqrstuvwxyz", (me + i + j) % 26 + 1, 1)
    return s
}
/storm/ && !/^print storm: / {
    if ($0 !~ /^storm [0-7] [0-9][0-9][0-9][0-9] [0-9][0-9] [a-z]+$/) {
        if (bad++ < 3) print "malformed line: " $0
        next
    }
    me = $2 + 0; i = $3 + 0; len = $4 + 0
    if (len != 10 + (i * 7 + me) % 40 || $5 != expected_payload(me, i, len)) {
        if (bad++ < 3) print "torn line: " $0
        next
    }
    if (i != next_line[me]) {
        if (bad++ < 3) print "thread " me ": line " i " where " next_line[me] " was due"
    }
    next_line[me] = i + 1
    if (NR > 1 && me != last) switches++
    last = me
}
END {
    for (t = 0; t < 8; t++)
        if (next_line[t] != 1000) {
            bad++
            print "thread " t ": ended at line " next_line[t] + 0 ", want 1000"
        }
    if (bad) exit 1
    print "ok " switches + 0
}
