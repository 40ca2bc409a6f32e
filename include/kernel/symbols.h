/*
 * The kernel's own symbol table, embedded in the image at build time
 * (scripts/gen-symbols.sh), so fault reports and backtraces name functions
 * without any tool outside the guest.
 */
#ifndef KERNEL_SYMBOLS_H
#define KERNEL_SYMBOLS_H

/*
 * Name of the function containing @addr and @addr's offset into it, or
 * NULL when @addr is outside the image's text.
 */
const char *symbol_lookup(unsigned long addr, unsigned long *offset);

#endif /* KERNEL_SYMBOLS_H */
