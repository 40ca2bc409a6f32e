/* The image's layout, as minios.lds and head.S define it. */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

/* Text, read-only data, and the end of everything loaded (page-aligned). */
extern char _text[], _etext[], _erodata[], _end[];

/* The unmapped page below the boot stack (arch/x86_64/head.S). */
extern char boot_stack_guard[];

#endif /* KERNEL_SECTIONS_H */
