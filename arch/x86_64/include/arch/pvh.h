/*
 * The boot mode, and what the PVH halves (arch/x86_64/pvh/) give the files
 * they sit beside.  One image carries both entries (xen_notes.S): Xen's PV
 * builder jumps to _start in long mode, its PVH builder to pvh_start in
 * 32-bit mode with paging off.  x86_pvh is set by the PVH entry before
 * anything else runs and never changes; every function that differs
 * between the modes asks x86_is_pvh() first and calls its pvh_* twin.
 */
#ifndef ARCH_PVH_H
#define ARCH_PVH_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/hypercall.h>
#include <minios/xen.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <arch/vcpu.h>

extern bool x86_pvh;

static inline bool x86_is_pvh(void)
{
    return x86_pvh;
}

/* The vector Xen raises for events (HVM_PARAM_CALLBACK_IRQ, vector type). */
#define PVH_EVENT_VECTOR 0xf3

/* The 64-bit code and data selectors of our own GDT (pvh/head.S). */
#define PVH_CS 0x08
#define PVH_DS 0x10

#define MSR_FS_BASE 0xc0000100U
#define MSR_GS_BASE 0xc0000101U

static inline void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

static inline unsigned long read_cr2(void)
{
    unsigned long cr2;

    __asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
    return cr2;
}

static inline long HYPERVISOR_hvm_op(int op, void *arg)
{
    return xen_hypercall(__HYPERVISOR_hvm_op, (unsigned long)op, (unsigned long)arg, 0, 0, 0);
}

/* pvh/setup.c */
void pvh_map_shared_info(void *page);
void pvh_debug_exit(uint8_t code);
void pvh_boot_reserved(void (*reserve)(unsigned long start, unsigned long end, const char *what));

/* pvh/traps.c */
/* pvh/smpboot.c: @scratch holds the vcpu_hvm_context while Xen copies it. */
struct cpu;
int pvh_vcpu_start(struct cpu *cpu, void *stack_top, void *scratch);

/* pvh/gnttab.c */
int pvh_gnttab_place(xen_pfn_t *frames, unsigned int first, unsigned int n);
void pvh_gnttab_reserved(grant_entry_v1_t *entries);
int pvh_gnttab_map(struct gnttab_map_grant_ref *op, void *va);
int pvh_gnttab_unmap(struct gnttab_unmap_grant_ref *op, void *va);

/*
 * pvh/setup.c: the first frame of @n frames, above RAM and below 4 GiB,
 * that no entry of the memory map covers (nothing of Xen's or a device's
 * is there), or 0 if there is no such run.
 */
unsigned long pvh_memmap_gap(unsigned long n);

/* pvh/setup.c: where the boot moved the ring page that was at frame @from, or 0. */
unsigned long pvh_moved_ring(unsigned long from);

/* pvh/traps.c */
struct cpu_regs;
void pvh_traps_init(void);
void pvh_load_idt(void);
bool pvh_event_entry(struct cpu_regs *regs);

/* pvh/irqflags.c */
unsigned long pvh_irq_save(void);
void pvh_irq_disable(void);
void pvh_irq_enable(void);
bool pvh_irq_is_enabled(void);

/* pvh/entry.S: `sti; hlt`; pvh_block_hlt is the hlt's address. */
int pvh_block(void);
extern const char pvh_block_hlt[];

/*
 * pvh/head.S and minios.lds: the boot tables from pvh_l4 (L4, L3, L2, then
 * pvh_boot_l1s L1s, as many as the image needs), which map 1:1 all below
 * PVH_BOOT_MAP_END; the window's L1.
 */
extern char pvh_boot_l1s[]; /* a number, not an address: the linker's symbol */
#define PVH_BOOT_L1S     ((unsigned long)pvh_boot_l1s)
#define PVH_BOOT_TABLES  (3 + PVH_BOOT_L1S)
#define PVH_BOOT_MAP_END (PVH_BOOT_L1S << 21)
#define PVH_WINDOW_VA    0xffffff8000000000UL /* L4 slot 511, far from the 1:1 map and vmap */

/* pvh/pagetable.c: the 1:1 map's tables are written directly, no hypercall. */
#include <arch/pagetable.h>
void pvh_set_entry(const pte_t *entry, pte_t val);
void pvh_map_ram_region(unsigned long first, unsigned long end);
void pvh_flush_tlbs(unsigned long va, unsigned int n);

/* pvh/percpu.c */
void pvh_percpu_init(void *cpu);
void pvh_set_fs_base(unsigned long base);

#endif /* ARCH_PVH_H */
