/*
 * The buddy algorithm (see include/kernel/buddy.h).
 */
#include <kernel/buddy.h>
#include <kernel/string.h>

#define STATE_FREE   0x80 /* head of a free block; low bits: order */
#define STATE_USED   0x40 /* head of an allocated block; low bits: order */
#define STATE_ABSENT 0x20 /* never given to the allocator */
#define STATE_INSIDE 0x00 /* a frame inside a block, not its head */
#define ORDER_MASK   0x1f

void buddy_init(struct buddy *b, unsigned long nr_frames, uint8_t *state, struct buddy_link *links)
{
    memset(b, 0, sizeof(*b));
    b->nr_frames = nr_frames < BUDDY_NIL ? nr_frames : BUDDY_NIL;
    b->state = state;
    b->links = links;
    memset(state, STATE_ABSENT, b->nr_frames);
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        b->free_head[o] = BUDDY_NIL;
}

static void push_free(struct buddy *b, unsigned long pfn, unsigned int order)
{
    uint32_t head = b->free_head[order];

    b->state[pfn] = STATE_FREE | order;
    b->links[pfn].next = head;
    b->links[pfn].prev = BUDDY_NIL;
    if (head != BUDDY_NIL)
        b->links[head].prev = (uint32_t)pfn;
    b->free_head[order] = (uint32_t)pfn;
    b->free_blocks[order]++;
}

static void unlink_free(struct buddy *b, unsigned long pfn, unsigned int order)
{
    uint32_t next = b->links[pfn].next, prev = b->links[pfn].prev;

    if (prev != BUDDY_NIL)
        b->links[prev].next = next;
    else
        b->free_head[order] = next;
    if (next != BUDDY_NIL)
        b->links[next].prev = prev;
    b->state[pfn] = STATE_INSIDE;
    b->free_blocks[order]--;
}

/* Frees a block known to be valid, merging with free buddies. */
static void release(struct buddy *b, unsigned long pfn, unsigned int order)
{
    while (order < BUDDY_MAX_ORDER) {
        unsigned long buddy = pfn ^ (1UL << order);

        if (buddy >= b->nr_frames || b->state[buddy] != (STATE_FREE | order))
            break;
        unlink_free(b, buddy, order);
        if (buddy < pfn)
            pfn = buddy;
        order++;
    }
    push_free(b, pfn, order);
}

void buddy_add_range(struct buddy *b, unsigned long start, unsigned long end)
{
    if (end > b->nr_frames)
        end = b->nr_frames;
    if (start >= end)
        return;
    /* Every frame becomes part of some block first, so merging can see them. */
    memset(&b->state[start], STATE_INSIDE, end - start);
    while (start < end) {
        unsigned int order = 0;

        /* The largest aligned block that starts here and fits. */
        while (order < BUDDY_MAX_ORDER && !(start & (1UL << order)) &&
               start + (2UL << order) <= end)
            order++;
        b->free_frames += 1UL << order;
        b->managed_frames += 1UL << order;
        release(b, start, order);
        start += 1UL << order;
    }
}

long buddy_alloc(struct buddy *b, unsigned int order)
{
    unsigned int o = order;

    if (order > BUDDY_MAX_ORDER)
        return -1;
    while (o <= BUDDY_MAX_ORDER && b->free_head[o] == BUDDY_NIL)
        o++;
    if (o > BUDDY_MAX_ORDER)
        return -1;

    unsigned long pfn = b->free_head[o];

    unlink_free(b, pfn, o);
    /* Split: keep the lower half, free the upper half, until small enough. */
    while (o > order) {
        o--;
        push_free(b, pfn + (1UL << o), o);
    }
    b->state[pfn] = STATE_USED | order;
    b->free_frames -= 1UL << order;
    return (long)pfn;
}

int buddy_free(struct buddy *b, unsigned long pfn, unsigned int order)
{
    if (pfn >= b->nr_frames || order > BUDDY_MAX_ORDER)
        return BUDDY_OUT_OF_RANGE;

    uint8_t s = b->state[pfn];

    if (s & STATE_FREE)
        return BUDDY_DOUBLE_FREE;
    if (!(s & STATE_USED))
        return BUDDY_NOT_A_BLOCK;
    if ((s & ORDER_MASK) != order)
        return BUDDY_WRONG_ORDER;
    b->state[pfn] = STATE_INSIDE;
    b->free_frames += 1UL << order;
    release(b, pfn, order);
    return BUDDY_OK;
}

int buddy_largest_free_order(const struct buddy *b)
{
    for (int o = BUDDY_MAX_ORDER; o >= 0; o--) {
        if (b->free_head[o] != BUDDY_NIL)
            return o;
    }
    return -1;
}

void buddy_for_each_free(const struct buddy *b, void (*fn)(unsigned long pfn, unsigned int order))
{
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        for (uint32_t pfn = b->free_head[o]; pfn != BUDDY_NIL; pfn = b->links[pfn].next)
            fn(pfn, o);
    }
}

const char *buddy_verify(const struct buddy *b)
{
    unsigned long frames = 0;

    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        unsigned long blocks = 0;
        uint32_t prev = BUDDY_NIL;

        for (uint32_t pfn = b->free_head[o]; pfn != BUDDY_NIL; pfn = b->links[pfn].next) {
            if (pfn >= b->nr_frames)
                return "a free list points outside the frames";
            if (b->state[pfn] != (STATE_FREE | o))
                return "a block on a free list is not marked free with that order";
            if (b->links[pfn].prev != prev)
                return "a free list's back link is wrong";
            if (pfn & ((1UL << o) - 1))
                return "a free block is not aligned to its order";
            if (++blocks > b->nr_frames)
                return "a free list loops";
            if (o < BUDDY_MAX_ORDER) {
                unsigned long buddy = pfn ^ (1UL << o);

                if (buddy < b->nr_frames && b->state[buddy] == (STATE_FREE | o))
                    return "two free buddies were not merged";
            }
            prev = pfn;
        }
        if (blocks != b->free_blocks[o])
            return "a free-block counter disagrees with its list";
        frames += blocks << o;
    }
    if (frames != b->free_frames)
        return "the free-frame counter disagrees with the lists";
    for (unsigned long pfn = 0; pfn < b->nr_frames; pfn++) {
        if ((b->state[pfn] & STATE_FREE) &&
            b->state[pfn] != (STATE_FREE | (b->state[pfn] & ORDER_MASK)))
            return "a state byte is malformed";
    }
    return NULL;
}
