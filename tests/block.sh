# Disks against Linux's blkback (docs/storage.md): the guest as a domU with
# three host files attached (scripts/run-domu.sh --disk), xvda read-write,
# xvdb read-only, xvdc read-write (dom0 detaches it during the run).  One
# boot for all of it (domU boots cost 10-30 s each).
# Sourced by tests/check.sh; `bash tests/block.sh` runs this file alone.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    cd "$(dirname "$0")/.."
    . tests/lib.sh
    block_alone=1
fi

# What the guest must have left on the host's files (tests/guest/blkdev/main.c):
# xvda's first 48 MiB pattern P, "hello, disk" at 56 MiB + 3, 10000 bytes of
# pattern Q at 56 MiB + 1000, Q's first 512 bytes in the last sector, the
# write flushed just before the guest crashed on purpose; xvdb
# as the host wrote it (pattern R).  Prints one line per finding.
block_check_images() {
    python3 - "$1" "$2" <<'PY'
import hashlib, sys
from array import array
a = open(sys.argv[1], 'rb').read()
b = open(sys.argv[2], 'rb').read()
M = 1 << 20
# Pattern P: word w is x ^ (x >> 29), x = w * 0x9E3779B97F4A7C15 + 0x1234567 (mod 2^64).
def p(n):
    out = array('Q', bytes(n))
    x = 0x1234567
    for w in range(n // 8):
        out[w] = x ^ (x >> 29)
        x = (x + 0x9E3779B97F4A7C15) & (2**64 - 1)
    if sys.byteorder != 'little':
        out.byteswap()
    return out.tobytes()
q = bytes((i * 13 + 5) & 0xff for i in range(10000))
r = bytes(((o * 7 + o // 4096) & 0xff) for o in range(M))
ok = True
def check(what, cond):
    global ok
    print(('host: ok: ' if cond else 'host: WRONG: ') + what)
    ok = ok and cond
check('xvda is 64 MiB', len(a) == 64 * M)
got, want = hashlib.sha256(a[:48 * M]).hexdigest(), hashlib.sha256(p(48 * M)).hexdigest()
check('xvda [0, 48 MiB) is pattern P (sha256 %s, expected %s)' % (got[:16], want[:16]),
      got == want)
check('xvda "hello, disk" at 56 MiB + 3', a[56 * M + 3:56 * M + 14] == b'hello, disk')
check('xvda pattern Q at 56 MiB + 1000', a[56 * M + 1000:56 * M + 11000] == q)
check('xvda last sector is Q[0:512]', a[64 * M - 512:] == q[:512])
check('xvda holds the write flushed before the crash at 60 MiB',
      a[60 * M:60 * M + 24] == b'flushed before the crash')
check('xvdb unchanged', b == r)
sys.exit(0 if ok else 1)
PY
}

# The threads' line says 10,000 operations in all (reads + writes).
block_count_ops() {
    local n
    n=$(sed -n 's/^blk: 8 threads .*: \([0-9]*\) reads and \([0-9]*\) writes .*/\1 \2/p' \
        "$TEST_OUT/$1.out" | awk '{ print $1 + $2 }')
    [ "$n" = 10000 ] && return 0
    fail "$1" "the threads made ${n:-no} operations, not 10000" "$TEST_OUT/$1.out"
    return 1
}

# blkfront against blkback: the API and the newlib path on three disks, one
# of them read-only; 10,000 random operations from 8 threads on xvda and
# xvdc at once; dom0's `xl block-detach` of idle xvdc (dom0-hook.sh); then
# a crash right after a flushed write; then the host reads its files back.
test_block() { block_test block PV; }

# The same as a PVH domU (docs/pvh.md).
test_block_pvh() { block_test block-pvh PVH --pvh; }

# block_make_images DIR: the three disks, afresh: xvda and xvdc zeroed, xvdb
# filled with the pattern the guest expects.
block_make_images() {
    mkdir -p "$1" && python3 -c "
import sys
open(sys.argv[1], 'wb').write(bytes(64 << 20))
open(sys.argv[2], 'wb').write(bytes(((o * 7 + o // 4096) & 0xff) for o in range(1 << 20)))
open(sys.argv[3], 'wb').write(bytes(4 << 20))
" "$1/a.img" "$1/b.img" "$1/c.img"
}

# block_test NAME PV|PVH [run-domu options]
block_test() {
    local t=$1 mode=$2 dir=$TEST_OUT/$1-disks
    build_app $t tests/guest/blkdev || return
    block_make_images "$dir" || { fail $t "cannot make the disk images"; return; }
    local retry_prepare=(block_make_images "$dir")
    boot_domu $t build/blkdev/minios.elf --vcpus 2 --mem 64 --timeout 420 "${@:3}" \
        --disk "$dir/a.img" --disk "$dir/b.img:ro" --disk "$dir/c.img" \
        --dom0-hook tests/guest/blkdev/dom0-hook.sh
    block_check_images "$dir/a.img" "$dir/b.img" >> "$TEST_OUT/$t.out" 2>&1
    local host=$?
    expect_status $t 3 &&
    expect_out $t "^minios [0-9.]+ \\(x86_64 $mode\\) on Xen " "the banner's $mode version line" &&
    expect_out $t '^blkfront: xvda: connected to /local/domain/0/backend/vbd/[0-9]+/51712 \(domain 0\): 67108864 bytes, 512-byte sectors, flush, barrier, 64 KiB requests \(indirect\)' \
        "xvda connecting" &&
    expect_out $t '^blkfront: xvdb: connected to .*: 1048576 bytes, 512-byte sectors, read-only' \
        "xvdb connecting read-only" &&
    expect_out $t '^blk: 48 MiB written\+flushed in [0-9]+ ms, read back in [0-9]+ ms \(pattern time excluded\), identical$' \
        "48 MiB written and read back" &&
    expect_out $t '^blk: async: 32 writes in flight, 32 callbacks, 32 reads identical$' \
        "32 asynchronous requests" &&
    expect_out $t '^blkfront: xvdc: connected to .*/51744 .*: 4194304 bytes, 512-byte sectors, flush, barrier, 64 KiB requests \(indirect\)' \
        "xvdc connecting" &&
    expect_out $t '^blk: 8 threads on 2 vCPUs \(seen on mask 0x3\): [0-9]+ reads and [0-9]+ writes \([1-9][0-9]* on xvdc\) in [0-9]+ ms, every byte as the model says$' \
        "8 threads on both vCPUs and two disks" &&
    block_count_ops $t &&
    expect_out $t '^blk: refused: ' "the refusals" &&
    expect_out $t '^blk: xvdb: 1 MiB as the host wrote it$' "the read-only disk's bytes" &&
    expect_out $t '^blk: stats xvda: .* errors 0 lies 0, [1-9][0-9]* events, [0-9]+ nudges; xvdb: .* errors 0 lies 0$' \
        "clean counters" &&
    expect_out $t '^blk: closed: in order$' "the ordered close" &&
    expect_out $t '^blkfront: xvdc: the backend is Closing: closing once idle$' \
        "blkfront seeing the backend close" &&
    expect_out $t '^blkfront: xvdc: detached by the backend.s domain: closed$' "the detach handshake" &&
    expect_out $t '^blk: xvdc: detached by dom0 after [0-9]+ ms; reads refused \(ENODEV\), closed, 2 disks left$' \
        "the application seeing xvdc go" &&
    expect_out $t '^dom0-hook: xl block-detach [0-9]+ xvdc: exit status 0 in ' "xl block-detach succeeding" &&
    expect_out $t '^dom0-hook: disks left: 51712 51728 $' "xl's list without xvdc" &&
    expect_out $t '^dom0-hook: /local/domain/0/backend/vbd/[0-9]+/51744: removed$' "xvdc's backend removed" &&
    expect_out $t '^dom0-hook: /local/domain/[0-9]+/device/vbd/51744: removed$' "xvdc's frontend node removed" &&
    expect_out $t '^blk: newlib: ' "the newlib path" &&
    expect_out $t '^blk: all steps passed; written, flushed, and now crashing with xvda open$' \
        "the end" &&
    expect_no_out $t '^(xenbus|blkfront): .*(went away|still|lies|impossible|not connected|no sense)' \
        "a backend complaint" || return
    if [ "$host" -ne 0 ]; then
        fail $t "the host's files do not hold what the guest wrote" "$TEST_OUT/$t.out"
        return
    fi
    rm -rf "$dir"
    pass "$t ($mode; $(sed -n 's/^blk: \(48 MiB written+flushed in [0-9]* ms, read back in [0-9]* ms\).*/\1/p' "$TEST_OUT/$t.out"); 10,000 random operations in $(sed -n 's/^blk: 8 threads .* in \([0-9]*\) ms, .*/\1/p' "$TEST_OUT/$t.out") ms; xvdc detached; $(sed -n 's/^blk: stats xvda: .* \([0-9]*\) nudges;.*/\1/p' "$TEST_OUT/$t.out") nudges of xvda's backend)"
}

if [ -n "${block_alone:-}" ]; then
    for fn in $(sed -n 's/^\(test_[A-Za-z0-9_]*\)() {.*/\1/p' "${BASH_SOURCE[0]}"); do
        "$fn"
    done
    summary
fi
