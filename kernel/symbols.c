/*
 * Symbol lookup over the table scripts/gen-symbols.sh generates from the
 * first link of the image: addresses sorted ascending (32 bits: the image
 * lies below 2 GiB, minios.lds checks it), each with an offset
 * into one string blob.  The image is linked twice; the table sits after
 * all text, so text addresses are the same in both links (the Makefile
 * checks it).  In the first link the table does not exist: the weak
 * references below then resolve to address 0, and lookups find nothing.
 */
#include <kernel/sections.h>
#include <kernel/symbols.h>
#include <minios/compiler.h>

extern const unsigned long symbol_table_count __weak;
extern const unsigned int symbol_table_addrs[] __weak;
extern const unsigned int symbol_table_name_offsets[] __weak;
extern const char symbol_table_names[] __weak;

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
    unsigned long lo = 0, hi;

    if (&symbol_table_count == NULL)
        return NULL;
    hi = symbol_table_count;
    if (addr < (unsigned long)_text || addr >= (unsigned long)_etext || hi == 0)
        return NULL;
    /* The last symbol whose address is <= addr. */
    while (hi - lo > 1) {
        unsigned long mid = lo + (hi - lo) / 2;

        if (symbol_table_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (symbol_table_addrs[lo] > addr)
        return NULL;
    *offset = addr - symbol_table_addrs[lo];
    return &symbol_table_names[symbol_table_name_offsets[lo]];
}
