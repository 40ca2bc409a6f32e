/*
 * QEMU's isa-debug-exit device ends the emulator with a status we choose:
 * the only way a dom0 can stop the machine it runs on without Xen first
 * printing its reboot banner and waiting.  A PV kernel runs in ring 3, so
 * `outb` needs I/O privilege from Xen first (virtual IOPL 1 covers the
 * guest kernel).
 */
#include <kernel/arch.h>
#include <minios/hypercall.h>
#include <arch/pvh.h>
#include <arch/x86.h>

#define DEBUG_EXIT_PORT 0xf4

void arch_debug_exit(uint8_t code)
{
    struct physdev_set_iopl iopl = {.iopl = 1};

    if (x86_is_pvh()) {
        pvh_debug_exit(code);
        return;
    }
    if (HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl) != 0)
        return;
    outb(DEBUG_EXIT_PORT, code);
}
