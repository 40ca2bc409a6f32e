/* The host stand-ins for mm/heap.c's dependencies (heap_shims.c). */
#ifndef HEAP_SHIMS_H
#define HEAP_SHIMS_H

#include <setjmp.h>
#include <kernel/buddy.h>

extern struct buddy shim_buddy;
extern char *shim_arena;
extern unsigned long shim_frames;
extern jmp_buf shim_panic_jump;
extern int shim_panic_expected;
extern char shim_panic_message[256];
extern unsigned long shim_printk_lines;

void shim_init(unsigned long frames);

#endif /* HEAP_SHIMS_H */
