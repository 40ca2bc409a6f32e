/*
 * The buddy allocator's algorithm (mm/buddy.c), separate from locking,
 * mapping and reporting so that it is pure logic, tested on the host.
 *
 * Frames are grouped in blocks of 2^order frames starting at a multiple of
 * 2^order; a free block's buddy is the other half of the block one order
 * up (pfn ^ (1 << order)).  Freeing coalesces with a free buddy, up to
 * BUDDY_MAX_ORDER; allocating splits the smallest block that fits.  Both are
 * O(BUDDY_MAX_ORDER).
 *
 * All bookkeeping lives outside the frames it describes: one state byte per
 * frame (head of a free block and its order, head of an allocated block
 * and its order, a frame inside a block, or a frame never given to the
 * allocator) and one link pair per frame for the free lists.  Free memory
 * is never touched, so it need not even be mapped (mm/rammap.c).
 */
#ifndef KERNEL_BUDDY_H
#define KERNEL_BUDDY_H

#include <stdint.h>

#define BUDDY_MAX_ORDER 18
#define BUDDY_NIL       UINT32_MAX /* end of a free list */

/* Results of buddy_free(). */
#define BUDDY_OK           0
#define BUDDY_DOUBLE_FREE  (-1) /* the block is already free */
#define BUDDY_WRONG_ORDER  (-2) /* allocated with another order */
#define BUDDY_NOT_A_BLOCK  (-3) /* not the first frame of an allocated block */
#define BUDDY_OUT_OF_RANGE (-4)

struct buddy_link {
    uint32_t next, prev; /* frame numbers, or BUDDY_NIL */
};

/* The bytes of bookkeeping buddy_init() needs per frame. */
#define BUDDY_BYTES_PER_FRAME (1 + sizeof(struct buddy_link))

struct buddy {
    unsigned long nr_frames;  /* at most BUDDY_NIL */
    uint8_t *state;           /* nr_frames bytes */
    struct buddy_link *links; /* nr_frames entries */
    uint32_t free_head[BUDDY_MAX_ORDER + 1];
    unsigned long free_blocks[BUDDY_MAX_ORDER + 1];
    unsigned long free_frames;
    unsigned long managed_frames;
};

void buddy_init(struct buddy *b, unsigned long nr_frames, uint8_t *state, struct buddy_link *links);

/* Gives frames [start, end), not yet managed, to the allocator as free. */
void buddy_add_range(struct buddy *b, unsigned long start, unsigned long end);

/* The first frame of a free block of 2^order frames, now allocated; or -1. */
long buddy_alloc(struct buddy *b, unsigned int order);

/* Frees a block buddy_alloc() returned; BUDDY_OK or a BUDDY_* error. */
int buddy_free(struct buddy *b, unsigned long pfn, unsigned int order);

/* The largest order with a free block, or -1 if nothing is free. */
int buddy_largest_free_order(const struct buddy *b);

/*
 * Checks the allocator's invariants (free lists agree with the state bytes
 * and the counters; no two free buddies left unmerged).  Returns NULL if all
 * hold, else a description of the first one broken.  O(frames).
 */
const char *buddy_verify(const struct buddy *b);

/* Calls @fn for every free block, as (first frame, order). */
void buddy_for_each_free(const struct buddy *b, void (*fn)(unsigned long pfn, unsigned int order));

#endif /* KERNEL_BUDDY_H */
