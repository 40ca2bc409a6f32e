/*
 * PVH start of day: what pvh/head.S hands over to, and the PVH halves of
 * setup.c (shared_info) and debug_exit.c.
 *
 * A PVH guest gets no start_info page, no p2m and no hypercall page from
 * Xen: it gets struct hvm_start_info (flags, command line, memory map) and
 * finds Xen through CPUID.  pvh_start_kernel() finds the hypercall page's
 * MSR, then describes what it was given as a start_info of our own
 * (nr_pages from the memory map's RAM, our boot tables as pt_base, no p2m
 * list: frame numbers are guest-physical) and enters the same
 * start_kernel() as the PV entry.  The memory map's holes below nr_pages
 * are handed to mm_init() as reserved (pvh_boot_reserved()); the first gap
 * above RAM is where grants get mapped (pvh_memmap_gap(), pvh/gnttab.c).
 */
#include <arch/early.h>
#include <arch/entry.h>
#include <arch/pvh.h>
#include <arch/x86.h>
#include <kernel/sections.h>
#include <kernel/string.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/p2m.h>
#include <minios/page.h>
#include <xen/arch-x86/hvm/start_info.h>

#define DEBUG_EXIT_PORT  0xf4
#define DEBUG_EXIT_CRASH 127 /* as kernel/shutdown.c reports a crash */
#define CPUID_XEN_FIRST  0x40000000U
#define CPUID_XEN_LAST   0x40010000U
#define E820_RAM         1
#define PVH_MEMMAP_MAX   32

bool x86_pvh;

extern char pvh_l4[];
void __noreturn start_kernel(start_info_t *si);
void __noreturn pvh_start_kernel(unsigned long info_pa);

static start_info_t pvh_start_info;
static struct hvm_memmap_table_entry memmap[PVH_MEMMAP_MAX];
static unsigned int memmap_entries;

/* Before the hypercall page there is no way to say anything: end the machine. */
static void __noreturn hopeless(void)
{
    outb(DEBUG_EXIT_PORT, DEBUG_EXIT_CRASH);
    for (;;)
        __asm__ __volatile__("cli; hlt");
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ __volatile__("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/*
 * Xen's CPUID leaves start at 0x40000000 or, when Xen also offers another
 * hypervisor's interface first (Viridian), 0x100 further: the one whose
 * signature is "XenVMMXenVMM".  Leaf base + 2 gives the MSR that places
 * the hypercall page; Xen writes its stubs (vmcall or vmmcall) there.
 */
static void setup_hypercall_page(void)
{
    uint32_t a, b, c, d;

    for (uint32_t base = CPUID_XEN_FIRST; base < CPUID_XEN_LAST; base += 0x100) {
        cpuid(base, &a, &b, &c, &d);
        if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e && a >= base + 2) {
            cpuid(base + 2, &a, &b, &c, &d);
            wrmsr(b, (unsigned long)hypercall_page);
            return;
        }
    }
    hopeless();
}

/*
 * What Xen put after the image is read before mm_init() maps the rest of
 * RAM: outside pvh/head.S's map it would fault with no IDT yet (a triple
 * fault, which xl reports only as a reboot).  Say so instead.
 */
static void check_mapped(uint64_t pa, uint64_t len, const char *what)
{
    if (pa + len < pa || pa + len > PVH_BOOT_MAP_END)
        early_crash(what, (long)pa);
}

/* Keeps the entries sorted by address (insertion: a handful of entries). */
static void add_range(uint64_t addr, uint64_t size, uint32_t type)
{
    unsigned int j = memmap_entries;

    if (j == PVH_MEMMAP_MAX)
        early_crash("PVH: memory map entries (at most 32 kept)", j + 1);
    while (j > 0 && memmap[j - 1].addr > addr) {
        memmap[j] = memmap[j - 1];
        j--;
    }
    memmap[j] = (struct hvm_memmap_table_entry){.addr = addr, .size = size, .type = type};
    memmap_entries++;
}

/* XENMEM_memory_map's entries: e820's packed 20-byte layout. */
struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));

/*
 * hvm_start_info carries the memory map from version 1 on; a PVH dom0 of
 * Xen 4.17 gets version 0 (measured), and asks XENMEM_memory_map, which
 * answers with the same map Xen built for the domain.  Uncounted: there is
 * no per-CPU area yet.
 */
static void copy_memmap(const struct hvm_start_info *info)
{
    if (info->version >= 1 && info->memmap_paddr && info->memmap_entries) {
        const struct hvm_memmap_table_entry *e = (const void *)(unsigned long)info->memmap_paddr;

        check_mapped(info->memmap_paddr, info->memmap_entries * sizeof(*e),
                     "PVH: the memory map is past pvh/head.S's 1:1 map, at");
        for (unsigned int i = 0; i < info->memmap_entries; i++)
            add_range(e[i].addr, e[i].size, e[i].type);
        return;
    }
    static struct e820_entry e820[PVH_MEMMAP_MAX];
    struct xen_memory_map map = {.nr_entries = PVH_MEMMAP_MAX};
    long rc;

    set_xen_guest_handle(map.buffer, e820);
    rc = xen_hypercall_uncounted(__HYPERVISOR_memory_op, XENMEM_memory_map, (unsigned long)&map, 0,
                                 0, 0);
    if (rc)
        early_crash("PVH: XENMEM_memory_map", rc);
    for (unsigned int i = 0; i < map.nr_entries && i < PVH_MEMMAP_MAX; i++)
        add_range(e820[i].addr, e820[i].size, e820[i].type);
}

/* The end of the highest RAM range, in frames: the 1:1 map's extent. */
static unsigned long ram_end_pfn(void)
{
    unsigned long end = 0;

    for (unsigned int i = 0; i < memmap_entries; i++) {
        unsigned long last = (memmap[i].addr + memmap[i].size) >> PAGE_SHIFT;

        if (memmap[i].type == E820_RAM && last > end)
            end = last;
    }
    return end;
}

void pvh_boot_reserved(void (*reserve)(unsigned long start, unsigned long end, const char *what))
{
    unsigned long next = 0; /* the first frame not yet known to be RAM or reserved */

    for (unsigned int i = 0; i < memmap_entries; i++) {
        const struct hvm_memmap_table_entry *e = &memmap[i];
        unsigned long start = (e->addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
        unsigned long end = (e->addr + e->size) >> PAGE_SHIFT;

        if (e->type != E820_RAM || end <= start)
            continue;
        if (start > next)
            reserve(next, start, "not RAM (PVH memory map)");
        if (end > next)
            next = end;
    }
}

unsigned long pvh_memmap_gap(unsigned long n)
{
    const uint64_t limit = 1ULL << 32;
    uint64_t start = 0;

    for (unsigned int i = 0; i < memmap_entries; i++) {
        if (memmap[i].type == E820_RAM && memmap[i].addr + memmap[i].size > start)
            start = memmap[i].addr + memmap[i].size;
    }
    start = (start + (1ULL << 21) - 1) & ~((1ULL << 21) - 1); /* a 2 MiB boundary */
    /* The entries are sorted: step past each one the run would overlap. */
    for (unsigned int i = 0; i < memmap_entries; i++) {
        uint64_t end = memmap[i].addr + memmap[i].size;

        if (end <= start)
            continue;
        if (memmap[i].addr >= start + (n << PAGE_SHIFT))
            break;
        start = (end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    }
    if (start + (n << PAGE_SHIFT) > limit)
        return 0;
    return (unsigned long)(start >> PAGE_SHIFT);
}

static uint64_t hvm_param(uint32_t index, const char *what)
{
    struct xen_hvm_param p = {.domid = DOMID_SELF, .index = index};
    long rc =
        xen_hypercall_uncounted(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&p, 0, 0, 0);

    if (rc)
        early_crash(what, rc);
    return p.value;
}

/*
 * Moves the special page at frame @from (above RAM, where the toolstack put
 * it) to our .bss page @to, inside RAM and the 1:1 map: the generic console
 * and xenstore code then find it as a PV domU's, by frame number.
 */
static struct {
    unsigned long from, to;
} moved[2];
static unsigned int nr_moved;

unsigned long pvh_moved_ring(unsigned long from)
{
    for (unsigned int i = 0; i < nr_moved; i++) {
        if (moved[i].from == from)
            return moved[i].to;
    }
    return 0;
}

static unsigned long move_special_page(uint64_t from, void *to, const char *what)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn,
        .idx = from,
        .gpfn = virt_to_pfn(to),
    };
    long rc = xen_hypercall_uncounted(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
                                      (unsigned long)&xatp, 0, 0, 0);

    if (rc)
        early_crash(what, rc);
    moved[nr_moved].from = (unsigned long)from;
    moved[nr_moved].to = xatp.gpfn;
    nr_moved++;
    return xatp.gpfn;
}

static char console_page[PAGE_SIZE] __aligned(PAGE_SIZE) __section(".bss.page_aligned");
static char store_page[PAGE_SIZE] __aligned(PAGE_SIZE) __section(".bss.page_aligned");

/*
 * A PVH domU finds its console ring and xenstore ring in HVM parameters
 * (a PV domU in start_info).  console_io is refused to a domU, so until
 * the console is up nothing can be said: early_crash() is silent there.
 */
static void domu_rings(start_info_t *si)
{
    uint64_t cons = hvm_param(HVM_PARAM_CONSOLE_PFN, "PVH: HVM_PARAM_CONSOLE_PFN");
    uint64_t store = hvm_param(HVM_PARAM_STORE_PFN, "PVH: HVM_PARAM_STORE_PFN");

    if (cons) {
        si->console.domU.mfn =
            move_special_page(cons, console_page, "PVH: moving the console ring");
        si->console.domU.evtchn =
            (uint32_t)hvm_param(HVM_PARAM_CONSOLE_EVTCHN, "PVH: HVM_PARAM_CONSOLE_EVTCHN");
    }
    if (store) {
        si->store_mfn = move_special_page(store, store_page, "PVH: moving the xenstore ring");
        si->store_evtchn =
            (uint32_t)hvm_param(HVM_PARAM_STORE_EVTCHN, "PVH: HVM_PARAM_STORE_EVTCHN");
    }
}

void pvh_start_kernel(unsigned long info_pa)
{
    const struct hvm_start_info *info = (const void *)info_pa;
    start_info_t *si = &pvh_start_info;

    x86_pvh = true;
    setup_hypercall_page();
    check_mapped(info_pa, sizeof(*info), "PVH: hvm_start_info is past pvh/head.S's 1:1 map, at");
    if (info->magic != XEN_HVM_START_MAGIC_VALUE)
        early_crash("PVH: hvm_start_info magic", info->magic);
    copy_memmap(info);

    memcpy(si->magic, "xen-3.0-x86_64 PVH", sizeof("xen-3.0-x86_64 PVH"));
    si->flags = info->flags; /* the same SIF_ bits: SIF_INITDOMAIN */
    si->nr_pages = ram_end_pfn();
    si->pt_base = (unsigned long)pvh_l4; /* in the image's .bss */
    si->nr_pt_frames = PVH_BOOT_TABLES;
    if (info->cmdline_paddr) {
        const char *line = (const char *)(unsigned long)info->cmdline_paddr;
        size_t i = 0;

        while (i < sizeof(si->cmd_line) - 1) {
            check_mapped(info->cmdline_paddr + i, 1,
                         "PVH: the command line runs past pvh/head.S's 1:1 map, from");
            if (!line[i])
                break;
            si->cmd_line[i] = (int8_t)line[i];
            i++;
        }
    }
    if (!(si->flags & SIF_INITDOMAIN))
        domu_rings(si);
    if (si->nr_pages <= virt_to_pfn(_end))
        early_crash("PVH: the memory map has no RAM past the image (frames)", (long)si->nr_pages);
    start_kernel(si);
}

/*
 * shared_info is not ours to find at a machine address: we choose the
 * guest-physical frame it appears at (a page of our .bss), and Xen puts it
 * there in place of the RAM that was.
 */
void pvh_map_shared_info(void *page)
{
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_shared_info,
        .idx = 0,
        .gpfn = virt_to_pfn(page),
    };
    long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);

    if (rc)
        early_crash("PVH: XENMEM_add_to_physmap(shared_info)", rc);
}

/* Ring 0 with the I/O ports of a hardware domain: no I/O privilege to ask for. */
void pvh_debug_exit(uint8_t code)
{
    outb(DEBUG_EXIT_PORT, code);
}
