/* Page geometry of x86-64; usable from C and from assembly. */
#ifndef MINIOS_PAGE_H
#define MINIOS_PAGE_H

#ifdef __ASSEMBLER__
#define MINIOS_UL(x) x
#else
#define MINIOS_UL(x) x##UL
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE  (MINIOS_UL(1) << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#endif /* MINIOS_PAGE_H */
