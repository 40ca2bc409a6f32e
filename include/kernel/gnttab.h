/* Grant-table internals (drivers/gnttab.c) that the rest of the kernel calls. */
#ifndef KERNEL_GNTTAB_H
#define KERNEL_GNTTAB_H

/*
 * Asks Xen for the table's limits and sets up and maps its first frames.
 * Boot vCPU, after mm_init() (it maps frames) and events_init().  A failure
 * is printed; the grant functions then report that no reference is free.
 */
void gnttab_init(void);

/* One line of grant-table state for the debug dump. */
void gnttab_dump(void);

#endif /* KERNEL_GNTTAB_H */
