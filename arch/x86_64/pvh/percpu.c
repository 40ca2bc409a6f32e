/*
 * The PVH halves of percpu.c and of tls.c's %fs base: in ring 0 the
 * segment bases are MSRs we write ourselves (a PV kernel asks Xen with
 * set_segment_base).
 */
#include <arch/pvh.h>

void pvh_percpu_init(void *cpu)
{
    wrmsr(MSR_GS_BASE, (unsigned long)cpu);
}

void pvh_set_fs_base(unsigned long base)
{
    wrmsr(MSR_FS_BASE, base);
}
