/*
 * Symbol lookup over the table scripts/gen-symbols.sh generates from the
 * first link of the image: for each function in address order, its
 * distance from the one before (the first's from _text), and the names in
 * the same order; an empty name continues the function before (a gap over
 * 16 bits).  A lookup walks the table from the start: it serves fault
 * reports and dumps, never a fast path, and the table is 2 bytes and a
 * name per function.  The image is linked twice; the table sits after all
 * text, so text addresses are the same in both links (minios-link checks
 * it).  In the first link the table does not exist: the weak references
 * below then resolve to address 0, and lookups find nothing.
 */
#include <kernel/sections.h>
#include <kernel/string.h>
#include <kernel/symbols.h>
#include <minios/compiler.h>
#include <stdint.h>

extern const unsigned int symbol_table_count __weak;
extern const uint16_t symbol_table_gaps[] __weak;
extern const char symbol_table_names[] __weak;

const char *symbol_lookup(unsigned long addr, unsigned long *offset)
{
    unsigned long at = (unsigned long)_text, start = 0;
    const char *name = symbol_table_names, *found = NULL;

    if (&symbol_table_count == NULL || addr < (unsigned long)_text || addr >= (unsigned long)_etext)
        return NULL;
    /* The last symbol whose address is <= addr. */
    for (unsigned int i = 0; i < symbol_table_count; i++) {
        at += symbol_table_gaps[i];
        if (at > addr)
            break;
        if (*name) {
            found = name;
            start = at;
        }
        name += strlen(name) + 1;
    }
    if (!found)
        return NULL;
    *offset = addr - start;
    return found;
}
