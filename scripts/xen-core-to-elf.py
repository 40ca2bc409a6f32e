#!/usr/bin/env python3
"""Converts a PV guest's core as `xl dump-core` writes it (Xen's dump-core
format) into an ELF core gdb reads: `gdb minios.elf CORE`.

    scripts/xen-core-to-elf.py XEN-CORE ELF-CORE

Xen's format (docs/misc/dump-core-format.txt in Xen's source) is an ELF file
with sections and no program headers: `.xen_prstatus` holds each vCPU's
vcpu_guest_context, `.xen_p2m` (pfn, mfn) pairs, `.xen_pages` the page
contents in that order.  gdb wants program headers that place memory at
virtual addresses, and registers in NT_PRSTATUS notes.  So the guest's page
tables (vCPU 0's cr3, a machine frame) are walked through the p2m to find
every page mapped below Xen's half, each becoming part of a PT_LOAD segment,
and each vCPU becomes a thread of the core.

The input is untrusted: every offset and size is checked against the file,
and a page-table walk that leaves the dump is cut short, not followed.
"""
import struct
import sys

PAGE = 4096
GUEST_HALF_L4_SLOTS = 256  # L4 slots 256.. are Xen's in a 64-bit PV guest
MAX_VCPUS = 512

# struct vcpu_guest_context (x86_64, <xen/arch-x86/xen.h>): offsets checked
# by tests/domu.sh's core test against the installed headers.
CTX_SIZE = 5168
CTX_USER_REGS = 520
CTX_CTRLREG = 4984
CTX_FS_BASE = 5144
CTX_GS_BASE_KERNEL = 5152
# struct cpu_user_regs: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi
# rdi (8 bytes each, the same order as the ELF core's), then error_code and
# entry_vector (4 + 4), rip, cs, rflags, rsp, ss, es, ds, fs, gs (8 each).
REGS_RIP = 128

PTE_PRESENT = 1
PTE_PSE = 1 << 7
PTE_ADDR = 0x000FFFFFFFFFF000


class BadCore(Exception):
    pass


def sections(data):
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise BadCore("not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    if shentsize != 64 or shnum == 0 or shnum > 64 or shstrndx >= shnum or shoff + shnum * 64 > len(data):
        raise BadCore("section headers out of the file")
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * 64) for i in range(shnum)]
    str_off, str_size = headers[shstrndx][4], headers[shstrndx][5]
    if str_off + str_size > len(data):
        raise BadCore("section names out of the file")
    found = {}
    for h in headers:
        name_off, off, size = h[0], h[4], h[5]
        if name_off >= str_size or off + size > len(data):
            raise BadCore("a section lies out of the file")
        end = data.index(b"\0", str_off + name_off, str_off + str_size)
        found[data[str_off + name_off : end].decode("ascii", "replace")] = (off, size)
    for need in (".xen_prstatus", ".xen_p2m", ".xen_pages"):
        if need not in found:
            raise BadCore("no %s section (an HVM guest's core, or not a Xen core)" % need)
    return found


class Memory:
    def __init__(self, data, secs):
        self.data = data
        p2m_off, p2m_size = secs[".xen_p2m"]
        self.pages_off, pages_size = secs[".xen_pages"]
        n = p2m_size // 16
        if pages_size < n * PAGE:
            raise BadCore(".xen_pages holds fewer pages than .xen_p2m lists")
        self.index_of_mfn = {}
        for i in range(n):
            pfn, mfn = struct.unpack_from("<QQ", data, p2m_off + i * 16)
            self.index_of_mfn[mfn] = i

    def page(self, mfn):
        i = self.index_of_mfn.get(mfn)
        if i is None:
            return None
        off = self.pages_off + i * PAGE
        return self.data[off : off + PAGE]

    def table(self, mfn):
        page = self.page(mfn)
        return None if page is None else struct.unpack("<512Q", page)


def mappings(mem, cr3_mfn):
    """(virtual page address, mfn) of each 4 KiB page mapped in the guest's half.
    Tables may be shared (or, in a damaged dump, loop): the number of table
    pages read is bounded by what the dump could hold, three levels over."""
    budget = [3 * len(mem.index_of_mfn) + 16]

    def table(mfn):
        budget[0] -= 1
        if budget[0] < 0:
            raise BadCore("the page tables reference more tables than the dump holds")
        return mem.table(mfn)

    l4 = mem.table(cr3_mfn)
    if l4 is None:
        raise BadCore("vCPU 0's page-table root (mfn %#x) is not in the dump" % cr3_mfn)
    for i4 in range(GUEST_HALF_L4_SLOTS):
        if not l4[i4] & PTE_PRESENT:
            continue
        l3 = table((l4[i4] & PTE_ADDR) >> 12)
        for i3 in range(512) if l3 else ():
            if not l3[i3] & PTE_PRESENT or l3[i3] & PTE_PSE:
                continue
            l2 = table((l3[i3] & PTE_ADDR) >> 12)
            for i2 in range(512) if l2 else ():
                if not l2[i2] & PTE_PRESENT or l2[i2] & PTE_PSE:
                    continue
                l1 = table((l2[i2] & PTE_ADDR) >> 12)
                for i1 in range(512) if l1 else ():
                    if l1[i1] & PTE_PRESENT:
                        va = (i4 << 39) | (i3 << 30) | (i2 << 21) | (i1 << 12)
                        yield va, (l1[i1] & PTE_ADDR) >> 12


def prstatus(ctx, tid):
    regs = list(struct.unpack_from("<15Q", ctx, CTX_USER_REGS))
    rip, cs, rflags, rsp, ss, es, ds, fs, gs = struct.unpack_from("<9Q", ctx, CTX_USER_REGS + REGS_RIP)
    fs_base, gs_base = struct.unpack_from("<QQ", ctx, CTX_FS_BASE)
    mask = 0xFFFF
    regs += [0, rip, cs & mask, rflags, rsp, ss & mask, fs_base, gs_base, ds & mask, es & mask, fs & mask, gs & mask]
    # struct elf_prstatus: siginfo (12), cursig (2) + pad, sigpend, sighold,
    # pid, ppid, pgrp, sid, four timevals, then the 27 registers, fpvalid.
    # No signal: the core does not say why the guest stopped (its console does).
    head = struct.pack("<iiihxxQQiiii", 0, 0, 0, 0, 0, 0, tid, 0, tid, tid) + bytes(64)
    return head + struct.pack("<27Q", *regs) + struct.pack("<ixxxx", 0)


def note(name, ntype, desc):
    n = name.encode() + b"\0"
    pad = lambda b: b + bytes(-len(b) % 4)
    return struct.pack("<III", len(n), len(desc), ntype) + pad(n) + pad(desc)


def convert(data):
    secs = sections(data)
    mem = Memory(data, secs)
    st_off, st_size = secs[".xen_prstatus"]
    nr = st_size // CTX_SIZE
    if nr == 0 or nr > MAX_VCPUS:
        raise BadCore(".xen_prstatus holds %d vCPU contexts" % nr)
    ctxs = [data[st_off + i * CTX_SIZE : st_off + (i + 1) * CTX_SIZE] for i in range(nr)]
    cr3, = struct.unpack_from("<Q", ctxs[0], CTX_CTRLREG + 3 * 8)

    # Contiguous virtual ranges: [start, [mfn, ...]].
    ranges = []
    limit = 4 * len(mem.index_of_mfn)  # aliases allowed, but not without end
    for va, mfn in mappings(mem, cr3 >> 12):
        if mem.page(mfn) is None:
            continue  # mapped but not the guest's own (a foreign or I/O page)
        limit -= 1
        if limit < 0:
            raise BadCore("more pages are mapped than four times the dump's")
        if ranges and ranges[-1][0] + len(ranges[-1][1]) * PAGE == va:
            ranges[-1][1].append(mfn)
        else:
            ranges.append([va, [mfn]])

    notes = b"".join(note("CORE", 1, prstatus(c, i + 1)) for i, c in enumerate(ctxs))
    nph = 1 + len(ranges)
    off = 64 + nph * 56
    phdrs = [struct.pack("<IIQQQQQQ", 4, 0, off, 0, 0, len(notes), 0, 4)]
    off += len(notes)
    off += -off % PAGE
    data_start = off
    for va, mfns in ranges:
        size = len(mfns) * PAGE
        phdrs.append(struct.pack("<IIQQQQQQ", 1, 7, off, va, 0, size, size, PAGE))
        off += size
    ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    ehdr += struct.pack("<HHIQQQIHHHHHH", 4, 62, 1, 0, 64, 0, 0, 64, 56, nph, 0, 0, 0)
    out = bytearray(ehdr + b"".join(phdrs) + notes)
    out += bytes(data_start - len(out))
    for _, mfns in ranges:
        for mfn in mfns:
            out += mem.page(mfn)
    pages = sum(len(m) for _, m in ranges)
    return bytes(out), nr, len(ranges), pages


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: xen-core-to-elf.py XEN-CORE ELF-CORE")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        out, nr, nranges, pages = convert(data)
    except (BadCore, struct.error, ValueError) as e:
        sys.exit("xen-core-to-elf: %s: %s" % (sys.argv[1], e))
    with open(sys.argv[2], "wb") as f:
        f.write(out)
    print("xen-core-to-elf: %d vCPUs, %d pages in %d ranges -> %s" % (nr, pages, nranges, sys.argv[2]))


if __name__ == "__main__":
    main()
