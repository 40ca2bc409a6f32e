/*
 * Grant tables (version 1): sharing our pages with other domains, and
 * using the pages other domains share with us.
 *
 * A grant is an entry in our grant table, a few pages we share with Xen,
 * saying "domain D may access our frame F (read-only or read-write)".  Its
 * index, the grant reference, is what we hand to D (through xenstore or a
 * ring); D then asks Xen to map the page or to copy to or from it.  Xen
 * marks the entry while D has it mapped, and we may take the grant back
 * only when it is not.  docs/grant-tables.md tells the whole story.
 *
 * Errors, in two families, each function saying which it returns:
 *  - our own bookkeeping (granting, ending a grant): negative Xen errnos,
 *    -XEN_ENOSPC (no free reference and the table cannot grow), -XEN_EBUSY
 *    (still mapped by the grantee), -XEN_EINVAL (not a granted reference);
 *  - operations Xen performs on grants (map, unmap, copy): the grant
 *    status Xen reports, GNTST_* from <xen/grant_table.h> (all negative).
 *    A hypercall Xen refuses outright, or a lack of address space, comes
 *    back as GNTST_general_error or GNTST_no_space after a console line
 *    naming the real cause.
 * Every failure of a hypercall is also printed with the operation's name
 * and the status by name (gnttab_strerror()).
 *
 * All functions may be called on any vCPU, with events enabled or not.
 */
#ifndef MINIOS_GNTTAB_H
#define MINIOS_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>
#include <minios/xen.h>

#pragma GCC visibility push(default)

/*
 * Grants @dom access to machine frame @mfn (which must be ours), read-only
 * if @readonly.  Returns the grant reference (never one of the first
 * GNTTAB_NR_RESERVED_ENTRIES, which the toolstack uses for the console and
 * xenstore), or -XEN_ENOSPC, or -XEN_EINVAL for an @mfn that does not fit
 * a v1 entry (32 bits) or @dom == DOMID_SELF: Xen compares the grantee
 * with the real id of the domain using the grant, so a grant to ourselves
 * names xen_self_domid().
 */
int gnttab_grant_access(domid_t dom, unsigned long mfn, bool readonly);

/*
 * Takes the grant back and frees @ref.  Refuses with -XEN_EBUSY while the
 * grantee has the page mapped (or a copy is in flight): the grant stays
 * valid and the caller may try again after the grantee unmapped it.
 * -XEN_EINVAL if @ref is not a reference we granted.
 */
int gnttab_end_access(grant_ref_t ref);

/*
 * Maps domain @dom's grant @ref at a new virtual address.  On success
 * returns GNTST_okay (0), the address in *@va and the handle to unmap it
 * with in *@handle; otherwise a negative GNTST_* status.  @dom is the
 * granting domain's real id (Xen refuses DOMID_SELF here with
 * GNTST_bad_domain).  The mapping is never executable.
 */
int gnttab_map(domid_t dom, grant_ref_t ref, bool readonly, void **va, grant_handle_t *handle);

/*
 * Removes a mapping made by gnttab_map() and frees its address.  Xen
 * flushes the mapping from every vCPU's TLB before it returns.  GNTST_okay
 * or a negative GNTST_* status (then the address stays reserved).
 */
int gnttab_unmap(void *va, grant_handle_t handle);

/*
 * GNTTABOP_copy on @count operations, filled in as <xen/grant_table.h>
 * describes: each side is either a grant (GNTCOPY_source_gref or
 * GNTCOPY_dest_gref in flags; u.ref and the granting domain's id) or one
 * of our own frames (u.gmfn = its machine frame, domid = DOMID_SELF, the
 * only domain Xen accepts for a frame).  Xen sets each op's status.
 * Returns GNTST_okay if every op succeeded, else the first failed op's
 * status.
 */
int gnttab_copy(gnttab_copy_t *ops, unsigned int count);

/*
 * A snapshot of entry @ref of our table, as Xen sees it (flags first, so
 * GTF_reading/GTF_writing show whether the grantee uses it now): for tests
 * and debugging, and for entries the toolstack filled (0: console, 1:
 * xenstore).  0, or -XEN_EINVAL if @ref is beyond the table.
 */
int gnttab_read_entry(grant_ref_t ref, grant_entry_v1_t *entry);

/* "GNTST_bad_gntref" for a GNTST_* status; "GNTST_?" for anything else. */
const char *gnttab_strerror(int status);

struct gnttab_stats {
    unsigned int version;       /* as GNTTABOP_get_version reports it, 0 if unknown */
    unsigned int frames;        /* table frames set up and mapped */
    unsigned int max_frames;    /* Xen's limit for this domain */
    unsigned long refs;         /* references in the table now (frames * 512) */
    unsigned long granted;      /* references granted now (reserved ones excluded) */
    unsigned long mapped;       /* grants (any domain's) we have mapped now */
    unsigned long grants_total; /* gnttab_grant_access() successes since boot */
    unsigned long maps_total;   /* gnttab_map() successes since boot */
    unsigned long copies_total; /* gnttab_copy() ops that succeeded since boot */
    unsigned long failures;     /* failed Xen operations since boot */
};

void gnttab_get_stats(struct gnttab_stats *stats);

#pragma GCC visibility pop

#endif /* MINIOS_GNTTAB_H */
