/*
 * Grant tables, version 1 (the API is <minios/gnttab.h>; the story is
 * docs/grant-tables.md).
 *
 * Our table is an array of 8-byte entries {flags, domid, frame} in frames
 * that Xen allocates and we map (GNTTABOP_setup_table, then map_frames()).
 * It starts at INITIAL_FRAMES frames and doubles, up to the limit Xen gives
 * (GNTTABOP_query_size), when the free references run out.  Xen never
 * shrinks a table, and never moves a frame it has handed out.
 *
 * The entry protocol: Xen reads flags first and trusts domid and frame only
 * once flags say the entry is valid, so a grant writes domid and frame,
 * then flags, with a release store so neither compiler nor CPU lets flags
 * become visible first.  While the grantee uses the page Xen sets
 * GTF_reading (and GTF_writing, for a writable use) in flags; ending a
 * grant is a compare-and-exchange of flags to 0 that fails if Xen set
 * either bit meanwhile, so a grant is never revoked under a mapping.
 *
 * Free references form a FIFO list through link[]: a reference just ended
 * is reused last, so a grantee still holding a stale reference is unlikely
 * to hit someone else's new grant.  A granted reference's link is
 * REF_GRANTED, which catches ending one twice or one never granted.
 *
 * Lock order: `lock` is taken before the vmap and page-table locks (growing
 * maps frames), never while holding them.
 */
#include <kernel/arch.h>
#include <kernel/gnttab.h>
#include <kernel/format.h>
#include <kernel/mm.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/gnttab.h>
#include <minios/hypercall.h>
#include <minios/hypervisor.h>
#include <minios/kernel.h>
#include <minios/mm.h>
#include <minios/spinlock.h>

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t)) /* 512 */
#define INITIAL_FRAMES    4

/* Values of link[] that are not references. */
#define REF_END      UINT32_MAX       /* end of the free list */
#define REF_GRANTED  (UINT32_MAX - 1) /* granted: not on the list */
#define REF_RESERVED (UINT32_MAX - 2) /* the toolstack's: never ours to hand out */

/*
 * Each failed compare-and-exchange in gnttab_end_access() means Xen changed
 * flags under us; it only ever sets or clears the in-use bits, so a few
 * tries settle it, and the bound keeps a misbehaving peer from pinning us.
 */
#define END_ACCESS_TRIES 16

static spinlock_t lock = SPINLOCK_INIT;
static grant_entry_v1_t **frame_va; /* [max_frames]: where each table frame is mapped */
static grant_ref_t *link;           /* [nr_frames * ENTRIES_PER_FRAME] */
static grant_ref_t free_head = REF_END, free_tail = REF_END;
static unsigned int nr_frames, max_frames, table_version;
static unsigned long nr_granted, nr_grants, nr_mapped, nr_maps, nr_copies, nr_failures;

static const char *const status_names[] = {
    [-GNTST_okay] = "GNTST_okay",
    [-GNTST_general_error] = "GNTST_general_error",
    [-GNTST_bad_domain] = "GNTST_bad_domain",
    [-GNTST_bad_gntref] = "GNTST_bad_gntref",
    [-GNTST_bad_handle] = "GNTST_bad_handle",
    [-GNTST_bad_virt_addr] = "GNTST_bad_virt_addr",
    [-GNTST_bad_dev_addr] = "GNTST_bad_dev_addr",
    [-GNTST_no_device_space] = "GNTST_no_device_space",
    [-GNTST_permission_denied] = "GNTST_permission_denied",
    [-GNTST_bad_page] = "GNTST_bad_page",
    [-GNTST_bad_copy_arg] = "GNTST_bad_copy_arg",
    [-GNTST_address_too_big] = "GNTST_address_too_big",
    [-GNTST_eagain] = "GNTST_eagain",
    [-GNTST_no_space] = "GNTST_no_space",
};

const char *gnttab_strerror(int status)
{
    if (status <= 0 && -status < (int)ARRAY_SIZE(status_names) && status_names[-status])
        return status_names[-status];
    return "GNTST_?";
}

static void count(unsigned long *counter, long delta)
{
    __atomic_fetch_add(counter, (unsigned long)delta, __ATOMIC_RELAXED);
}

/*
 * The outcome of one grant operation described by @what: GNTST_okay or a
 * negative GNTST_* status, printed when it is not okay.  @rc is the
 * hypercall's own result (a Xen errno when Xen refused the call as a
 * whole), @status what Xen wrote into the op.
 */
static int outcome(const char *what, int rc, int status)
{
    if (rc < 0) {
        printk("gnttab: %s: the hypercall failed: %d (%s)\n", what, rc, xen_strerror(rc));
        status = GNTST_general_error;
    } else if (status > 0) {
        /*
         * Not a GNTST_* value, and nothing the ABI allows.  Some versions
         * of Xen's map_grant_ref store the truth value of "pinning failed"
         * (1) instead of the failure's status (a misplaced parenthesis);
         * the failure they mean is a general error.  The 4.17 we test
         * with reports -1 properly; this keeps a 1 from passing as success.
         */
        printk("gnttab: %s failed with status %d, which is no GNTST_* value: "
               "taken as %d (GNTST_general_error)\n",
               what, status, GNTST_general_error);
        status = GNTST_general_error;
    } else if (status < 0) {
        printk("gnttab: %s failed: %d (%s)\n", what, status, gnttab_strerror(status));
    }
    if (status != GNTST_okay)
        count(&nr_failures, 1);
    return status;
}

static grant_entry_v1_t *entry(grant_ref_t ref)
{
    return &frame_va[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static void free_list_append(grant_ref_t ref)
{
    link[ref] = REF_END;
    if (free_tail == REF_END)
        free_head = ref;
    else
        link[free_tail] = ref;
    free_tail = ref;
}

/*
 * The Xen error for a failed GNTTABOP_setup_table: the hypercall's own when
 * it failed as a whole, else one for the status Xen wrote (its reason is
 * also printed by name, by outcome()).
 */
static int setup_error(int rc, int status)
{
    if (rc < 0)
        return rc;
    switch (status) {
    case GNTST_bad_domain:
        return -XEN_ESRCH;
    case GNTST_permission_denied:
        return -XEN_EPERM;
    case GNTST_no_device_space:
        return -XEN_ENOSPC;
    case GNTST_eagain:
        return -XEN_EAGAIN;
    default:
        return -XEN_EINVAL;
    }
}

/*
 * Grows the table to @want frames (more than it has, at most max_frames):
 * Xen allocates the new frames, we map them and put their references on
 * the free list.  Under `lock`.  Returns 0 or the negative Xen error that
 * says why not (-ENOMEM: no memory for our side of it).
 */
static int grow(unsigned int want)
{
    struct gnttab_setup_table op = {.dom = DOMID_SELF, .nr_frames = want};
    unsigned long refs = (unsigned long)want * ENTRIES_PER_FRAME;
    grant_ref_t *bigger = krealloc(link, refs * sizeof(*link));
    xen_pfn_t *mfns = kmalloc(want * sizeof(*mfns));
    char what[64];
    void *va;
    int rc;

    /* A bigger link[] alone is harmless: it is only ever read up to nr_frames. */
    if (bigger)
        link = bigger;
    if (!bigger || !mfns) {
        kfree(mfns);
        return -XEN_ENOMEM;
    }
    set_xen_guest_handle(op.frame_list, mfns);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &op, 1);
    ksnprintf(what, sizeof(what), "GNTTABOP_setup_table(%u frames)", want);
    if (outcome(what, rc, op.status) != GNTST_okay) {
        kfree(mfns);
        return setup_error(rc, op.status);
    }
    rc = arch_gnttab_place(mfns, nr_frames, want - nr_frames);
    if (rc) {
        printk("gnttab: placing frames %u-%u failed: %d (%s)\n", nr_frames, want - 1, rc,
               xen_strerror(rc));
        kfree(mfns);
        return rc;
    }
    /* Our mappings of the frames we had stay valid only if Xen kept them. */
    for (unsigned int i = 0; i < nr_frames; i++) {
        if (mfns[i] != arch_lookup_mfn((unsigned long)frame_va[i]))
            panic("gnttab: Xen moved grant-table frame %u to mfn %#lx", i, (unsigned long)mfns[i]);
    }
    va = map_frames(mfns + nr_frames, want - nr_frames, MAP_WRITABLE, DOMID_SELF);
    kfree(mfns);
    if (!va)
        return -XEN_ENOMEM; /* map_frames() said why */
    for (unsigned int i = nr_frames; i < want; i++)
        frame_va[i] = (grant_entry_v1_t *)((char *)va + (i - nr_frames) * PAGE_SIZE);
    if (nr_frames == 0)
        arch_gnttab_reserved(frame_va[0]);
    for (grant_ref_t ref = nr_frames * ENTRIES_PER_FRAME; ref < refs; ref++) {
        if (ref < GNTTAB_NR_RESERVED_ENTRIES)
            link[ref] = REF_RESERVED;
        else
            free_list_append(ref);
    }
    nr_frames = want;
    return 0;
}

/* The size to grow to when the free list is empty, or 0 if at the limit. */
static unsigned int next_size(void)
{
    if (nr_frames >= max_frames)
        return 0;
    if (nr_frames == 0)
        return MIN(INITIAL_FRAMES, max_frames);
    return MIN(nr_frames * 2, max_frames);
}

/*
 * The table is set up at its first use (a grant, or a question about it),
 * not at boot: a program that never grants pays nothing for it.  Asks Xen
 * for the table's limit and version, then makes the first INITIAL_FRAMES.
 * Under `lock`; 0 or the negative Xen error that says why not.  A table
 * Xen refuses us for good (not version 1, no frames allowed) is asked
 * about once; running out of memory is tried again at the next use.
 */
static int table_ready(void)
{
    static int refused; /* a lasting reason the table cannot exist */
    struct gnttab_query_size size = {.dom = DOMID_SELF};
    struct gnttab_get_version version = {.dom = DOMID_SELF};
    int rc;

    if (nr_frames)
        return 0;
    if (refused)
        return refused;
    if (!max_frames) {
        rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &size, 1);
        if (outcome("GNTTABOP_query_size", rc, size.status) != GNTST_okay)
            return refused = rc < 0 ? rc : -XEN_EINVAL;

        /* v1 is every domain's default; only GNTTABOP_set_version changes it. */
        rc = HYPERVISOR_grant_table_op(GNTTABOP_get_version, &version, 1);
        if (rc < 0) {
            printk("gnttab: GNTTABOP_get_version failed: %d (%s); assuming version 1\n", rc,
                   xen_strerror(rc));
            table_version = 0;
        } else if (version.version != 1) {
            printk("gnttab: the table is version %u; minios speaks version 1 only\n",
                   version.version);
            return refused = -XEN_EOPNOTSUPP;
        } else {
            table_version = 1;
        }
        if (size.max_nr_frames == 0) {
            printk("gnttab: Xen allows this domain no grant-table frames\n");
            return refused = -XEN_ENOSPC;
        }
        frame_va = kcalloc(size.max_nr_frames, sizeof(*frame_va));
        if (!frame_va)
            return -XEN_ENOMEM; /* kcalloc() said so */
        max_frames = size.max_nr_frames;
    }
    rc = grow(next_size());
    if (rc)
        printk("gnttab: setting up the table failed: %d (%s)\n", rc, xen_strerror(rc));
    return rc;
}

int gnttab_grant_access(domid_t dom, unsigned long mfn, bool readonly)
{
    uint16_t type = GTF_permit_access | (readonly ? GTF_readonly : 0);
    unsigned long flags;
    grant_ref_t ref;
    int rc;

    if (dom == DOMID_SELF || mfn > UINT32_MAX)
        return -XEN_EINVAL;
    flags = local_irq_save();
    spin_lock(&lock);
    /* A table that could grow but did not says why (-ENOMEM, Xen's error). */
    rc = table_ready();
    if (rc == 0 && free_head == REF_END)
        rc = next_size() ? grow(next_size()) : -XEN_ENOSPC;
    ref = free_head;
    if (ref != REF_END) {
        grant_entry_v1_t *e = entry(ref);

        free_head = link[ref];
        if (free_head == REF_END)
            free_tail = REF_END;
        link[ref] = REF_GRANTED;
        nr_granted++;
        nr_grants++;
        /* Written under the lock, so that no gnttab_end_access() sees it half-made. */
        WRITE_ONCE(e->domid, dom);
        WRITE_ONCE(e->frame, (uint32_t)mfn);
        __atomic_store_n(&e->flags, type, __ATOMIC_RELEASE);
    }
    spin_unlock(&lock);
    local_irq_restore(flags);
    return ref == REF_END ? (rc ? rc : -XEN_ENOSPC) : (int)ref;
}

int gnttab_end_access(grant_ref_t ref)
{
    unsigned long flags = local_irq_save();
    int rc = -XEN_EINVAL;

    spin_lock(&lock);
    if (ref < nr_frames * ENTRIES_PER_FRAME && link[ref] == REF_GRANTED) {
        uint16_t *shared = &entry(ref)->flags;
        uint16_t old = __atomic_load_n(shared, __ATOMIC_ACQUIRE);

        rc = -XEN_EBUSY;
        for (int tries = 0; tries < END_ACCESS_TRIES; tries++) {
            if (old & (GTF_reading | GTF_writing))
                break;
            /* On failure `old` becomes what Xen wrote: look again. */
            if (__atomic_compare_exchange_n(shared, &old, 0, false, __ATOMIC_SEQ_CST,
                                            __ATOMIC_ACQUIRE)) {
                rc = 0;
                break;
            }
        }
        if (rc == 0) {
            free_list_append(ref);
            nr_granted--;
        }
    }
    spin_unlock(&lock);
    local_irq_restore(flags);
    return rc;
}

int gnttab_map(domid_t dom, grant_ref_t ref, bool readonly, void **va, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = dom,
    };
    void *addr;
    char what[80];
    int rc, status;

    addr = vmap_reserve(1);
    if (!addr) {
        printk("gnttab: no address space to map d%u's grant %u\n", dom, ref);
        count(&nr_failures, 1);
        return GNTST_no_space;
    }
    /* PV: Xen writes the PTE at addr (vmap_reserve() made its L1); PVH: arch maps it. */
    rc = arch_gnttab_map(&op, addr);
    if (dom == DOMID_SELF)
        ksnprintf(what, sizeof(what), "GNTTABOP_map_grant_ref(DOMID_SELF ref %u%s)", ref,
                  readonly ? " read-only" : "");
    else
        ksnprintf(what, sizeof(what), "GNTTABOP_map_grant_ref(d%u ref %u%s)", dom, ref,
                  readonly ? " read-only" : "");
    status = outcome(what, rc, op.status);
    if (status != GNTST_okay) {
        vmap_release(addr, 1);
        return status;
    }
    count(&nr_mapped, 1);
    count(&nr_maps, 1);
    *va = addr;
    *handle = op.handle;
    return GNTST_okay;
}

int gnttab_unmap(void *va, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {.handle = handle};
    char what[80];
    int rc, status;

    /*
     * No TLB flush of our own: after each batch of unmaps Xen flushes the
     * TLB of every CPU our vCPUs have run on, and the ABI promises that no
     * stale mapping survives the hypercall (<xen/grant_table.h>).
     */
    rc = arch_gnttab_unmap(&op, va);
    ksnprintf(what, sizeof(what), "GNTTABOP_unmap_grant_ref(%p handle %u)", va, handle);
    status = outcome(what, rc, op.status);
    if (status == GNTST_okay) {
        vmap_release(va, 1);
        count(&nr_mapped, -1);
    }
    return status;
}

/* "d0 ref 12+100" or "frame 0x1234+100", for messages. */
static void describe_side(char *buf, size_t size, const struct gnttab_copy_ptr *side, bool gref)
{
    if (gref)
        ksnprintf(buf, size, "d%u ref %u+%u", side->domid, side->u.ref, side->offset);
    else
        ksnprintf(buf, size, "frame %#lx+%u", (unsigned long)side->u.gmfn, side->offset);
}

int gnttab_copy(gnttab_copy_t *ops, unsigned int n)
{
    int rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, n);
    int first = GNTST_okay;
    char what[128], from[40], to[40];

    if (rc < 0)
        return outcome("GNTTABOP_copy", rc, GNTST_general_error);
    for (unsigned int i = 0; i < n; i++) {
        if (ops[i].status == GNTST_okay) {
            count(&nr_copies, 1);
            continue;
        }
        describe_side(from, sizeof(from), &ops[i].source, ops[i].flags & GNTCOPY_source_gref);
        describe_side(to, sizeof(to), &ops[i].dest, ops[i].flags & GNTCOPY_dest_gref);
        ksnprintf(what, sizeof(what), "GNTTABOP_copy op %u of %u (%u bytes, %s -> %s)", i, n,
                  ops[i].len, from, to);
        int status = outcome(what, 0, ops[i].status);

        if (first == GNTST_okay)
            first = status;
    }
    return first;
}

int gnttab_read_entry(grant_ref_t ref, grant_entry_v1_t *out)
{
    unsigned long flags = local_irq_save();
    int rc = -XEN_EINVAL;

    spin_lock(&lock);
    if (ref < nr_frames * ENTRIES_PER_FRAME) {
        const grant_entry_v1_t *e = entry(ref);

        out->flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
        out->domid = READ_ONCE(e->domid);
        out->frame = READ_ONCE(e->frame);
        rc = 0;
    }
    spin_unlock(&lock);
    local_irq_restore(flags);
    return rc;
}

/* The figures as they are, without setting the table up. */
static void snapshot(struct gnttab_stats *s)
{
    unsigned long flags = local_irq_save();

    spin_lock(&lock);
    s->version = table_version;
    s->frames = nr_frames;
    s->max_frames = max_frames;
    s->refs = (unsigned long)nr_frames * ENTRIES_PER_FRAME;
    s->granted = nr_granted;
    s->grants_total = nr_grants;
    spin_unlock(&lock);
    local_irq_restore(flags);
    s->mapped = __atomic_load_n(&nr_mapped, __ATOMIC_RELAXED);
    s->maps_total = __atomic_load_n(&nr_maps, __ATOMIC_RELAXED);
    s->copies_total = __atomic_load_n(&nr_copies, __ATOMIC_RELAXED);
    s->failures = __atomic_load_n(&nr_failures, __ATOMIC_RELAXED);
}

void gnttab_get_stats(struct gnttab_stats *s)
{
    unsigned long flags = local_irq_save();

    /* Asking about the table is a use: a failure was printed, the figures say 0 frames. */
    spin_lock(&lock);
    table_ready();
    spin_unlock(&lock);
    local_irq_restore(flags);
    snapshot(s);
}

void gnttab_peek_stats(struct gnttab_stats *s)
{
    snapshot(s);
}

void gnttab_dump(void)
{
    struct gnttab_stats s;

    snapshot(&s); /* from an event handler: no setting up here */
    printk("  grant table: v%u, %u of %u frames, %lu of %lu refs granted, %lu grants mapped "
           "now; since boot %lu grants, %lu maps, %lu copies, %lu failures\n",
           s.version, s.frames, s.max_frames, s.granted, s.refs, s.mapped, s.grants_total,
           s.maps_total, s.copies_total, s.failures);
}
