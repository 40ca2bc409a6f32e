# minios commands for gdb (gdb's Python API): what the kernel's own state
# dump shows, read from a live guest under QEMU's gdb stub or from a core.
#
#   minios threads        every thread: id, name, state, vCPU, what it waits for
#   minios bt ID|NAME     the backtrace of a thread (a switched-out thread
#                         from its saved frame; a running one from its vCPU)
#   minios runq           the run queue, in the order threads will run
#   minios cpus           each vCPU: its current thread, and which of QEMU's
#                         CPUs (gdb's threads) is running it right now
#   minios evtchn         bound event channels: handler, vCPU, pending, masked
#   minios console [N]    the last N lines (20) of the guest's console, when
#                         scripts/debug.sh started the session
#
# Loaded by scripts/debug.sh (`make debug`); by hand: `source scripts/gdb/minios.py`.
# Everything is read through the image's debug information, so the commands
# follow the structures as they change; nothing is written to the guest.

import os

import gdb

STATE_NAMES = {
    "THREAD_RUNNABLE": "runnable",
    "THREAD_RUNNING": "running",
    "THREAD_BLOCKED": "blocked",
    "THREAD_EXITED": "exited",
}
WAIT_NAMES = {
    "WAIT_NONE": "a wait queue",
    "WAIT_MUTEX": "mutex",
    "WAIT_CONDVAR": "condition variable",
    "WAIT_SEMAPHORE": "semaphore",
    "WAIT_SLEEP": "sleep",
    "WAIT_JOIN": "join",
    "WAIT_CONSOLE_INPUT": "console input",
    "WAIT_XENSTORE_REPLY": "xenstore reply",
}
MAX_LIST = 4096  # a list longer than this is taken as corrupt
MAX_FRAMES = 64
GUEST_HALF_END = 1 << 47  # Xen lives in the upper half of a PV guest's space


def static(name):
    """A file-static or global variable of the image, by name."""
    sym = gdb.lookup_static_symbol(name) or gdb.lookup_global_symbol(name)
    if sym is None:
        raise gdb.GdbError("minios: no symbol '%s' (is the image's minios.elf loaded?)" % name)
    return sym.value()


def field_offset(type_name, field):
    for f in gdb.lookup_type(type_name).fields():
        if f.name == field:
            return f.bitpos // 8
    raise gdb.GdbError("minios: %s has no field %s" % (type_name, field))


def list_entries(head, type_name, member):
    """The structures linked into the list at `head` (a struct list_node)."""
    ptr_type = gdb.lookup_type(type_name).pointer()
    offset = field_offset(type_name, member)
    head_addr = int(head.address)
    node = head["next"]
    if int(node) == 0:  # never initialised: empty
        return
    for _ in range(MAX_LIST):
        if int(node) == head_addr:
            return
        yield gdb.Value(int(node) - offset).cast(ptr_type).dereference()
        node = node["next"]
    raise gdb.GdbError("minios: list at %#x does not come back to its head" % head_addr)


def all_threads():
    return list(list_entries(static("all_threads"), "struct thread", "all_node"))


def cpus():
    table = static("cpu_table")
    n = table.type.range()[1] + 1
    return [table[i].dereference() for i in range(n) if int(table[i]) != 0]


def enum_name(value, names):
    key = str(value)
    return names.get(key, key)


def thread_name(t):
    return t["name"].string(length=t["name"].type.sizeof).split("\0")[0]


def symbolize(pc):
    """'function+0xoff at file:line' for a code address (the function that
    holds it, not an inlined callee; the line is the innermost)."""
    block = gdb.block_for_pc(pc)
    outer = None
    while block is not None:
        if block.function is not None:
            outer = block
        block = block.superblock
    where = "??"
    if outer is not None:
        where = "%s+%#x" % (outer.function.print_name, pc - outer.start)
    else:
        msym = gdb.execute("info symbol %#x" % pc, to_string=True).strip()
        if not msym.startswith("No symbol"):
            where = msym.split(" in section")[0].replace(" + ", "+")
    sal = gdb.find_pc_line(pc - 1)  # the call, not the return address
    if sal.symtab is not None:
        where += " at %s:%d" % (sal.symtab.filename, sal.line)
    return where


def read_u64(addr):
    return int(gdb.Value(addr).cast(gdb.lookup_type("unsigned long").pointer()).dereference())


def frame_walk(pc, rbp):
    """(pc) of each frame, following the frame pointers (-fno-omit-frame-pointer)."""
    frames = [pc]
    for _ in range(MAX_FRAMES):
        if rbp == 0 or rbp & 7:
            break
        try:
            ret = read_u64(rbp + 8)
            rbp = read_u64(rbp)
        except gdb.MemoryError:
            break
        if ret == 0:
            break
        frames.append(ret)
    return frames


def saved_frames(t):
    # arch_switch() pushed rbp, rbx, r12-r15 under its return address.
    rsp = int(t["rsp"])
    return frame_walk(read_u64(rsp + 6 * 8), read_u64(rsp + 5 * 8))


def wait_text(t):
    kind = str(t["wait_kind"])
    text = "waits for " + WAIT_NAMES.get(kind, kind)
    if kind in ("WAIT_MUTEX", "WAIT_CONDVAR", "WAIT_SEMAPHORE", "WAIT_XENSTORE_REPLY"):
        text += " %#x" % int(t["wait_obj"])
        if kind == "WAIT_MUTEX":
            owner = int(t["wait_obj"].cast(gdb.lookup_type("struct mutex").pointer())["owner"])
            for o in all_threads():
                if int(o.address) == owner:
                    text += ' held by %d "%s"' % (int(o["id"]), thread_name(o))
    elif kind == "WAIT_JOIN":
        j = t["wait_obj"].cast(gdb.lookup_type("struct thread").pointer()).dereference()
        text += ' %d "%s"' % (int(j["id"]), thread_name(j))
    return text


class MiniosPrefix(gdb.Command):
    """minios: the kernel's state (threads, bt ID, runq, cpus, evtchn)."""

    def __init__(self):
        super().__init__("minios", gdb.COMMAND_DATA, gdb.COMPLETE_COMMAND, True)


class Threads(gdb.Command):
    """minios threads: every thread with its state, vCPU and what it waits for."""

    def __init__(self):
        super().__init__("minios threads", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        running = {int(c["current"]): int(c["id"]) for c in cpus()}
        listed = all_threads()
        gdb.write("%4s  %-23s %-9s %4s  %s\n" % ("id", "name", "state", "vCPU", "waiting"))
        for t in listed:
            state = enum_name(t["state"], STATE_NAMES)
            wait = wait_text(t) if str(t["state"]) == "THREAD_BLOCKED" else ""
            mark = "*" if int(t.address) in running else " "
            gdb.write("%3d%s  %-23s %-9s %4d  %s\n" % (int(t["id"]), mark, thread_name(t), state, int(t["cpu"]), wait))
        gdb.write("%d threads (* = current on its vCPU; idle threads not listed)\n" % len(listed))


class Backtrace(gdb.Command):
    """minios bt ID|NAME: the backtrace of a minios thread, by id or name."""

    def __init__(self):
        super().__init__("minios bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        if not arg:
            raise gdb.GdbError("usage: minios bt ID|NAME (see minios threads)")
        for t in all_threads():
            if str(t["id"]) != arg and thread_name(t) != arg:
                continue
            want = int(t["id"])
            if str(t["state"]) == "THREAD_RUNNING" or bool(t["on_cpu"]):
                raise gdb.GdbError(
                    "thread %d is running on vCPU %d: its frames are in that vCPU's registers; "
                    "`minios cpus` shows which gdb thread runs it, then `thread N` and `bt`" % (want, int(t["cpu"]))
                )
            if str(t["state"]) == "THREAD_EXITED":
                raise gdb.GdbError("thread %d has exited" % want)
            for i, pc in enumerate(saved_frames(t)):
                gdb.write("#%-2d %#018x in %s\n" % (i, pc, symbolize(pc)))
            return
        raise gdb.GdbError("no minios thread %s" % arg)


class RunQueue(gdb.Command):
    """minios runq: runnable threads waiting for a vCPU, first to run first."""

    def __init__(self):
        super().__init__("minios runq", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        queued = list(list_entries(static("runq"), "struct thread", "run_node"))
        for t in queued:
            gdb.write('%4d  %-23s affinity %d\n' % (int(t["id"]), thread_name(t), int(t["affinity"])))
        gdb.write("%d runnable threads queued\n" % len(queued))


class Cpus(gdb.Command):
    """minios cpus: each vCPU's current thread and the QEMU CPU running it now."""

    def __init__(self):
        super().__init__("minios cpus", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        # A QEMU CPU runs our vCPU when its GS base is that vCPU's struct cpu
        # and its rip is in the guest's half (Xen switches GS lazily: while
        # it runs, the base may still be ours).
        by_base = {}
        inferior = gdb.selected_inferior()
        selected = gdb.selected_thread()
        for th in inferior.threads():
            th.switch()
            try:
                rip = int(gdb.parse_and_eval("$pc"))
                if rip < GUEST_HALF_END:
                    by_base[int(gdb.parse_and_eval("$gs_base"))] = th.num
            except gdb.error:
                pass
        if selected is not None:
            selected.switch()
        for c in cpus():
            cur = c["current"].dereference()
            where = by_base.get(int(c.address))
            gdb.write(
                'vCPU %d: %s, current thread %d "%s"; %s\n'
                % (
                    int(c["id"]),
                    "online" if bool(c["online"]) else "offline",
                    int(cur["id"]),
                    thread_name(cur),
                    "running now on gdb thread %d" % where if where else "not running now (Xen, its idle loop or another domain has the CPU)",
                )
            )


class EventChannels(gdb.Command):
    """minios evtchn: every bound event channel: handler, vCPU, pending, masked."""

    def __init__(self):
        super().__init__("minios evtchn", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        ports = static("ports")
        shared = static("HYPERVISOR_shared_info").dereference()
        n = ports.type.range()[1] + 1
        bound = 0
        for p in range(n):
            fn = int(ports[p]["fn"])
            if fn == 0:
                continue
            bound += 1
            word, bit = p // 64, 1 << (p % 64)
            pending = int(shared["evtchn_pending"][word]) & bit
            masked = int(shared["evtchn_mask"][word]) & bit
            gdb.write(
                "port %4d  vCPU %d  %-8s %-7s %s\n"
                % (p, int(ports[p]["vcpu"]), "pending" if pending else "", "masked" if masked else "", symbolize(fn).split(" at ")[0])
            )
        gdb.write("%d ports bound\n" % bound)


class Console(gdb.Command):
    """minios console [N]: the last N lines of the guest's console (make debug)."""

    def __init__(self):
        super().__init__("minios console", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        path = os.environ.get("MINIOS_CONSOLE_LOG")
        if not path:
            raise gdb.GdbError("minios: no console log (scripts/debug.sh sets MINIOS_CONSOLE_LOG)")
        n = int(arg) if arg.strip() else 20
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        for line in lines[-n:]:
            gdb.write(line + "\n")


MiniosPrefix()
Console()
Threads()
Backtrace()
RunQueue()
Cpus()
EventChannels()
