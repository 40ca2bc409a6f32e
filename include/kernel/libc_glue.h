/*
 * What the C library glue (runtime/libc/, compiled against newlib's headers)
 * needs from the kernel beyond the public API.  Kept apart so that the
 * glue's view of the kernel is one short list.
 */
#ifndef KERNEL_LIBC_GLUE_H
#define KERNEL_LIBC_GLUE_H

#include <stddef.h>

struct thread;

/* The C library's per-thread state slot of @t (NULL until the glue sets it). */
void **thread_libc_slot(struct thread *t);

#endif /* KERNEL_LIBC_GLUE_H */
