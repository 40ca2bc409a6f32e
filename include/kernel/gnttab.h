/* Grant-table internals (drivers/gnttab.c) that the rest of the kernel calls. */
#ifndef KERNEL_GNTTAB_H
#define KERNEL_GNTTAB_H

#include <minios/gnttab.h>

/*
 * There is no gnttab_init(): the table is set up at its first use (a grant,
 * or gnttab_get_stats()), after boot.  This reads the figures as they are,
 * 0 frames before that use, without setting anything up (for the banner).
 */
void gnttab_peek_stats(struct gnttab_stats *s);

/* One line of grant-table state for the debug dump. */
void gnttab_dump(void);

#endif /* KERNEL_GNTTAB_H */
