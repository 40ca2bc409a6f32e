/* Helpers for the assembly files of arch/x86_64. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#include <minios/page.h>

#define BOOT_STACK_SIZE (16 * 1024)

/*
 * Symbols shared between the kernel's own files: hidden, like the C code's,
 * so the build makes them local before an application is linked (Makefile).
 * LINKER_ENTRY is for the few that minios.lds itself names.
 */
#define GLOBAL(name)                                                                               \
    .globl name;                                                                                   \
    .hidden name;                                                                                  \
    name:
#define ENTRY(name)                                                                                \
    .globl name;                                                                                   \
    .hidden name;                                                                                  \
    .type name, @function;                                                                         \
    name:
#define LINKER_ENTRY(name)                                                                         \
    .globl name;                                                                                   \
    .type name, @function;                                                                         \
    name:
#define END(name) .size name, .- name

#endif /* ARCH_ASM_H */
