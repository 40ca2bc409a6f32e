#!/usr/bin/env python3
"""Host test of scripts/xen-core-to-elf.py: a core in Xen's dump-core format
is made here, field by field (two vCPUs, page tables mapping pages at known
virtual addresses, a foreign frame and an entry in Xen's half to leave out),
converted, and the ELF core read back: the segments, their bytes, and each
vCPU's registers.  Then mutated cores (flipped bytes, cut ends, tables that
point at themselves): each is converted or refused as BadCore, never
crashes the converter, and never runs without end."""
import os
import random
import runpy
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
conv = runpy.run_path(os.path.join(here, "../../scripts/xen-core-to-elf.py"))
PAGE, CTX = 4096, conv["CTX_SIZE"]
checks = failures = 0


def check(cond, what):
    global checks, failures
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what)


def mfn_of(pfn):
    return 0x5000 + 7 * pfn  # scattered, as machine frames are


def make_core(nr_pages=16):
    pages = [bytearray(PAGE) for _ in range(nr_pages)]
    present = 1 | 2
    # pfn 0: L4, 1: L3, 2: L2, 3: L1; pfns 4..9 data pages at 0x1000.. (6 pages),
    # pfn 10 at 0x20000 (a second range); a foreign mfn at 0x30000; L4 slot 300
    # (Xen's half) pointing at our L3: ignored.
    struct.pack_into("<Q", pages[0], 0, (mfn_of(1) << 12) | present)
    struct.pack_into("<Q", pages[0], 300 * 8, (mfn_of(1) << 12) | present)
    struct.pack_into("<Q", pages[1], 0, (mfn_of(2) << 12) | present)
    struct.pack_into("<Q", pages[2], 0, (mfn_of(3) << 12) | present)
    for i, pfn in enumerate(range(4, 10)):
        struct.pack_into("<Q", pages[3], (1 + i) * 8, (mfn_of(pfn) << 12) | present)
    struct.pack_into("<Q", pages[3], 0x20 * 8, (mfn_of(10) << 12) | present)
    struct.pack_into("<Q", pages[3], 0x30 * 8, (0x99999 << 12) | present)
    for pfn in range(4, 11):
        pages[pfn][:8] = struct.pack("<Q", 0xC0DE0000 + pfn)
    ctxs = bytearray(2 * CTX)
    for v in range(2):
        base = v * CTX
        struct.pack_into("<Q", ctxs, base + conv["CTX_USER_REGS"] + conv["REGS_RIP"], 0x1234 + v)
        struct.pack_into("<Q", ctxs, base + conv["CTX_USER_REGS"] + 4 * 8, 0xBB00 + v)  # rbp
        struct.pack_into("<Q", ctxs, base + conv["CTX_CTRLREG"] + 3 * 8, mfn_of(0) << 12)
        struct.pack_into("<Q", ctxs, base + conv["CTX_GS_BASE_KERNEL"], 0x6500 + v)
    p2m = b"".join(struct.pack("<QQ", pfn, mfn_of(pfn)) for pfn in range(nr_pages))
    names = b"\0.shstrtab\0.xen_prstatus\0.xen_p2m\0.xen_pages\0"
    body = [(names, 1, 3), (bytes(ctxs), 11, 1), (p2m, 25, 1), (b"".join(pages), 34, 1)]
    off = 64 + 5 * 64
    shdrs = [bytes(64)]
    blobs = b""
    for data, name, stype in body:
        shdrs.append(struct.pack("<IIQQQQIIQQ", name, stype, 0, 0, off + len(blobs), len(data), 0, 0, 1, 0))
        blobs += data
    ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    ehdr += struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, 0, 64, 0, 64, 0, 0, 64, 5, 1)
    return ehdr + b"".join(shdrs) + blobs


def read_elf_core(out):
    phnum, = struct.unpack_from("<H", out, 0x38)
    segs, notes = [], []
    for i in range(phnum):
        ptype, _, off, va, _, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", out, 64 + i * 56)
        if ptype == 1:
            segs.append((va, out[off : off + filesz]))
        elif ptype == 4:
            pos = off
            while pos < off + filesz:
                namesz, descsz, ntype = struct.unpack_from("<III", out, pos)
                pos += 12 + ((namesz + 3) & ~3)
                notes.append((ntype, out[pos : pos + descsz]))
                pos += (descsz + 3) & ~3
    return segs, notes


core = make_core()
out, nr, nranges, npages = conv["convert"](core)
segs, notes = read_elf_core(out)
check(nr == 2, "two vCPUs read")
check([(va, len(d)) for va, d in segs] == [(0x1000, 6 * PAGE), (0x20000, PAGE)],
      "segments at 0x1000 (6 pages) and 0x20000, foreign frame and Xen's half left out: %s"
      % [(hex(va), len(d)) for va, d in segs])
for i in range(6):
    got, = struct.unpack_from("<Q", segs[0][1], i * PAGE)
    check(got == 0xC0DE0004 + i, "page at %#x holds its frame's bytes" % (0x1000 + i * PAGE))
check(struct.unpack_from("<Q", segs[1][1], 0)[0] == 0xC0DE000A, "the second range's page")
status = [d for t, d in notes if t == 1]
check(len(status) == 2 and all(len(d) == 336 for d in status), "an NT_PRSTATUS of 336 bytes per vCPU")
for v, d in enumerate(status):
    regs = struct.unpack_from("<27Q", d, 112)
    check(regs[16] == 0x1234 + v, "vCPU %d's rip" % v)
    check(regs[4] == 0xBB00 + v, "vCPU %d's rbp" % v)
    check(regs[22] == 0x6500 + v, "vCPU %d's gs_base" % v)
    check(struct.unpack_from("<i", d, 32)[0] == v + 1, "vCPU %d is thread %d" % (v, v + 1))

# A table that maps itself at every level, in all 256 slots: refused, in bounded time.
loop = bytearray(core)
pages_off = len(core) - 16 * PAGE
for slot in range(512):
    struct.pack_into("<Q", loop, pages_off + slot * 8, (mfn_of(0) << 12) | 3)
try:
    conv["convert"](bytes(loop))
    check(False, "self-referencing page tables refused")
except conv["BadCore"]:
    check(True, "")

rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
refused = converted = 0
for n in range(3000):
    m = bytearray(core)
    for _ in range(rng.randint(1, 8)):
        region = rng.choice([(0, 64 + 5 * 64), (0, len(m)), (pages_off, pages_off + 4 * PAGE)])
        m[rng.randrange(*region)] = rng.randrange(256)
    if rng.random() < 0.2:
        del m[rng.randrange(len(m)) :]
    try:
        conv["convert"](bytes(m))
        converted += 1
    except (conv["BadCore"], struct.error, ValueError):
        refused += 1
    except Exception as e:  # anything else is a bug
        check(False, "mutation %d: %s: %s" % (n, type(e).__name__, e))
check(refused > 0 and converted > 0, "mutations both refused and converted")
print("test_xen_core: %d checks, %d failed (3000 mutated cores: %d converted, %d refused)"
      % (checks, failures, converted, refused))
sys.exit(1 if failures else 0)
