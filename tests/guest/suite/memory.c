/*
 * Memory: the page allocator over all of RAM (including the part mapped on
 * demand), the heap, protections, second mappings and guard pages, checked
 * under the real Xen.
 */
#include <minios/debug.h>
#include <minios/hypervisor.h>
#include <minios/mm.h>
#include <minios/probe.h>
#include <minios/test.h>
#include "suite.h"

extern char _text[], _etext[], _erodata[];

#define STRIDE_WORDS 8 /* one pattern word per 64 bytes */

static uint64_t pattern(unsigned long pfn, unsigned long i)
{
    return (pfn << 20) ^ (i * 0x9e3779b97f4a7c15ULL);
}

TEST_DEFINE(test_mm_every_frame, "every free frame can be allocated, written, verified and freed")
{
    struct page_stats before, during, after;
    void *chain = NULL;
    unsigned long frames = 0, blocks = 0, bad = 0;

    page_alloc_stats(&before);
    /* Biggest blocks first, then smaller ones, until nothing is left. */
    for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
        for (;;) {
            page_alloc_stats(&during);
            if (during.free < (1UL << order) || (int)during.largest_free_order < order)
                break;
            void **block = alloc_pages((unsigned int)order);

            if (!block) {
                test_fail("alloc_pages(%d) failed with %lu frames free", order, during.free);
                break;
            }
            /* Each block records the next and its own order, then a pattern. */
            uint64_t *w = (uint64_t *)block;
            unsigned long pfn = virt_to_pfn(block), words = (PAGE_SIZE << order) / 8;

            for (unsigned long i = 2; i < words; i += STRIDE_WORDS)
                w[i] = pattern(pfn, i);
            block[0] = chain;
            w[1] = (uint64_t)order;
            chain = block;
            frames += 1UL << order;
            blocks++;
        }
    }
    page_alloc_stats(&during);
    CHECK(during.free == 0, "%lu frames still free after allocating everything", during.free);
    CHECK(frames == before.free, "allocated %lu frames, %lu were free", frames, before.free);
    test_note("allocated %lu frames (%lu MiB) in %lu blocks", frames, frames / 256, blocks);

    /* Exhaustion is reported, not fatal. */
    CHECK(alloc_page() == NULL, "alloc_page succeeded with nothing free");
    CHECK(kmalloc(PAGE_SIZE * 2) == NULL, "a large kmalloc succeeded with nothing free");

    while (chain) {
        void **block = chain;
        uint64_t *w = (uint64_t *)block;
        unsigned int order = (unsigned int)w[1];
        unsigned long pfn = virt_to_pfn(block), words = (PAGE_SIZE << order) / 8;

        for (unsigned long i = 2; i < words; i += STRIDE_WORDS) {
            if (w[i] != pattern(pfn, i))
                bad++;
        }
        chain = block[0];
        free_pages(block, order);
    }
    CHECK(bad == 0, "%lu pattern words came back wrong", bad);
    page_alloc_stats(&after);
    CHECK(after.free == before.free, "free frames %lu before, %lu after", before.free, after.free);
    CHECK(after.largest_free_order == before.largest_free_order,
          "freeing everything did not coalesce back (largest order %lu, was %lu)",
          after.largest_free_order, before.largest_free_order);
}

TEST_DEFINE(test_mm_buddy, "blocks are aligned, frees coalesce, debug mode poisons free pages")
{
    struct page_stats before, after;

    page_alloc_stats(&before);
    void *a = alloc_pages(3), *b = alloc_pages(0), *c = alloc_pages(5);

    CHECK(a && b && c, "small allocations failed");
    CHECK(((unsigned long)a & ((PAGE_SIZE << 3) - 1)) == 0, "an order-3 block is misaligned");
    CHECK(((unsigned long)c & ((PAGE_SIZE << 5) - 1)) == 0, "an order-5 block is misaligned");
    free_pages(a, 3);
    free_pages(b, 0);
    free_pages(c, 5);
    page_alloc_stats(&after);
    CHECK(after.free == before.free && after.largest_free_order == before.largest_free_order,
          "free count or largest block changed: %lu/%lu -> %lu/%lu", before.free,
          before.largest_free_order, after.free, after.largest_free_order);

    /* Debug mode: free pages carry poison; an honest alloc/free cycle passes. */
    page_alloc_set_debug(true);
    void *p = alloc_pages(2);
    CHECK(p != NULL, "allocation in debug mode failed");
    if (p) {
        CHECK(*(volatile uint64_t *)p == 0x6b6b6b6b6b6b6b6bULL, "a free block was not poisoned");
        free_pages(p, 2);
    }
    page_alloc_set_debug(false);
}

static unsigned long rng_state = 12345;

static unsigned long rng(void)
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return rng_state >> 33;
}

TEST_DEFINE(test_heap_stress, "20,000 mixed kmalloc/krealloc/kfree keep contents and alignment")
{
    enum { SLOTS = 512 };
    static struct {
        unsigned char *p;
        size_t size;
        unsigned char fill;
    } slot[SLOTS];
    struct page_stats before, after;
    unsigned long ops = 0, corrupt = 0;

    page_alloc_stats(&before);
    for (int round = 0; round < 20000; round++) {
        unsigned int i = rng() % SLOTS;

        if (slot[i].p) {
            for (size_t j = 0; j < slot[i].size; j++) {
                if (slot[i].p[j] != slot[i].fill) {
                    corrupt++;
                    break;
                }
            }
            if (rng() % 4 == 0) {
                size_t grow = 1 + rng() % 3000;
                unsigned char *q = krealloc(slot[i].p, grow);

                CHECK(q != NULL, "krealloc to %zu failed", grow);
                if (q) {
                    for (size_t j = 0; j < (grow < slot[i].size ? grow : slot[i].size); j++)
                        corrupt += q[j] != slot[i].fill;
                    for (size_t j = 0; j < grow; j++)
                        q[j] = slot[i].fill;
                    slot[i].p = q;
                    slot[i].size = grow;
                }
            } else {
                kfree(slot[i].p);
                slot[i].p = NULL;
            }
        } else {
            /* Mostly small, some large. */
            size_t size = rng() % 8 ? 1 + rng() % 2048 : 2049 + rng() % 20000;

            slot[i].p = kmalloc(size);
            if (!slot[i].p) {
                test_fail("kmalloc(%zu) failed", size);
                break;
            }
            CHECK(kmalloc_size(slot[i].p) >= size, "kmalloc_size %zu < %zu",
                  kmalloc_size(slot[i].p), size);
            size_t align = size <= 16 ? 16 : size <= 2048 ? 16 : PAGE_SIZE;
            CHECK(((unsigned long)slot[i].p & (align - 1)) == 0, "%zu bytes at %p: misaligned",
                  size, (void *)slot[i].p);
            slot[i].size = size;
            slot[i].fill = (unsigned char)rng();
            for (size_t j = 0; j < size; j++)
                slot[i].p[j] = slot[i].fill;
        }
        ops++;
    }
    for (int i = 0; i < SLOTS; i++) {
        kfree(slot[i].p);
        slot[i].p = NULL;
    }
    CHECK(corrupt == 0, "%lu objects were corrupted", corrupt);

    unsigned char *z = kcalloc(100, 30);
    CHECK(z != NULL, "kcalloc failed");
    for (int j = 0; z && j < 3000; j++)
        corrupt += z[j] != 0;
    CHECK(corrupt == 0, "kcalloc memory was not zeroed");
    kfree(z);
    CHECK(kcalloc(~0UL / 2, 4) == NULL, "an overflowing kcalloc succeeded");
    CHECK(kmalloc(0) == NULL, "kmalloc(0) returned memory");
    kfree(NULL);

    page_alloc_stats(&after);
    /* The heap keeps one slab per size class: at most 8 + 7 * 8 frames. */
    CHECK(before.free - after.free <= 64, "the heap kept %lu frames after freeing everything",
          before.free - after.free);
    test_note("%lu operations; heap holds %lu frames when empty", ops, before.free - after.free);
}

static void expect_fault(const char *what, struct probe_result r, uint32_t ec_bits)
{
    if (!r.faulted || r.vector != X86_EXC_PF)
        test_fail("%s: expected a page fault, got %s", what,
                  r.faulted ? exception_name(r.vector) : "no fault");
    else if ((r.error_code & ec_bits) != ec_bits)
        test_fail("%s: error code %#x lacks %#x", what, r.error_code, ec_bits);
}

TEST_DEFINE(test_mm_protections, "page 0, text, rodata, guard pages fault; data is not executable")
{
    uint64_t v;

    expect_fault("reading page 0", probe_read_u64((void *)8, &v), 0);
    expect_fault("writing text", probe_write_u64((void *)_text + 0x100, 0),
                 X86_PFEC_PRESENT | X86_PFEC_WRITE);
    expect_fault("writing rodata", probe_write_u64((void *)_etext, 0),
                 X86_PFEC_PRESENT | X86_PFEC_WRITE);
    expect_fault("reading the boot stack's guard page",
                 probe_read_u64(debug_boot_stack_guard(), &v), 0);

    /* Executing data: a heap buffer holding `ret`. */
    unsigned char *code = kmalloc(64);
    if (!code) {
        test_error("kmalloc failed");
        return;
    }
    code[0] = 0xc3;
    struct probe_result r = probe_call((void (*)(void))code);
    if (r.faulted)
        expect_fault("executing heap memory", r, X86_PFEC_PRESENT | X86_PFEC_INSN);
    else
        test_fail("executing heap memory did not fault (NX should be on)");
    kfree(code);

    /* Reads of text and rodata still work. */
    CHECK(!probe_read_u64(_text, &v).faulted, "reading text faulted");
    CHECK(!probe_read_u64(_etext, &v).faulted, "reading rodata faulted");
}

TEST_DEFINE(test_map_frames, "a frame mapped at a second address shares its bytes; unmap faults")
{
    volatile uint64_t *page = alloc_page();
    unsigned long mfn;

    if (!page) {
        test_error("alloc_page failed");
        return;
    }
    mfn = virt_to_mfn((void *)page);
    volatile uint64_t *alias = map_frames(&mfn, 1, MAP_WRITABLE, DOMID_SELF);
    CHECK(alias != NULL, "map_frames of our own frame failed");
    if (alias) {
        CHECK((void *)alias != (void *)page, "the alias is the 1:1 address");
        page[3] = 0x1234567890abcdefULL;
        CHECK(alias[3] == 0x1234567890abcdefULL, "the alias does not see a write through 1:1");
        alias[7] = 42;
        CHECK(page[7] == 42, "1:1 does not see a write through the alias");
        unmap_frames((void *)alias, 1);
        uint64_t v;
        expect_fault("reading an unmapped alias", probe_read_u64((void *)alias, &v), 0);
    }
    /* A frame that is not ours: Xen must refuse, and we must say so. */
    unsigned long bogus = ~0UL >> 20;
    CHECK(map_frames(&bogus, 1, MAP_WRITABLE, DOMID_SELF) == NULL,
          "mapping a machine frame that is not ours succeeded");
    free_page((void *)page);
}

TEST_DEFINE(test_stack_guard, "a stack's guard page faults; a freed stack faults")
{
    const size_t size = 16 * 1024;
    unsigned char *stack = stack_alloc(size);
    uint64_t v;

    if (!stack) {
        test_error("stack_alloc failed");
        return;
    }
    CHECK(!probe_write_u64(stack, 1).faulted, "the lowest stack word is not writable");
    CHECK(!probe_write_u64(stack + size - 8, 1).faulted, "the top stack word is not writable");
    expect_fault("reading the guard page", probe_read_u64(stack - 8, &v), 0);
    stack_free(stack, size);
    expect_fault("reading a freed stack", probe_read_u64(stack, &v), 0);
}

TEST_DEFINE(test_p2m, "pfn <-> mfn round trips; out-of-range input is refused")
{
    unsigned long nr = start_info.nr_pages;
    unsigned long pfns[] = {1, 2, nr / 2, nr - 1};
    unsigned int bad = 0;

    for (unsigned int i = 0; i < sizeof(pfns) / sizeof(pfns[0]); i++) {
        unsigned long mfn = pfn_to_mfn(pfns[i]);

        if (mfn == INVALID_MFN || mfn_to_pfn(mfn) != pfns[i])
            bad++;
    }
    CHECK(bad == 0, "%u pfn -> mfn -> pfn round trips failed", bad);
    CHECK(pfn_to_mfn(nr) == INVALID_MFN, "pfn_to_mfn past the end did not fail");
    CHECK(mfn_to_pfn(~0UL >> 12) == INVALID_PFN, "mfn_to_pfn of a huge mfn did not fail");
    char *p = (char *)pfn_to_virt(5) + 123;
    CHECK(virt_to_machine(p) == (((uint64_t)pfn_to_mfn(5) << PAGE_SHIFT) | 123),
          "virt_to_machine lost the offset");
}
