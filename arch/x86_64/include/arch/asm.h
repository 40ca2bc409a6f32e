/* Helpers for the assembly files of arch/x86_64. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#include <minios/page.h>

#define BOOT_STACK_SIZE (16 * 1024)

#define GLOBAL(name)  .globl name; name:
#define ENTRY(name)   .globl name; .type name, @function; name:
#define END(name)     .size name, . - name

#endif /* ARCH_ASM_H */
