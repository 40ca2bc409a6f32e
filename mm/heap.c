/*
 * The kernel heap: kmalloc() and friends (see <minios/mm.h>).
 *
 * Small sizes come from slabs: blocks of pages carved into objects of one
 * size class, with a header at the start of the block.  Classes up to 256
 * bytes use one page per slab; 512 to 2048 use eight, so the header costs
 * at most one object in sixteen.  Objects are aligned to their class size.
 * A slab with free objects sits on its class's partial list; a slab whose
 * objects are all free goes back to the page allocator.  Sizes above 2048
 * bytes get their own block of pages.
 *
 * kfree() finds out what a pointer is from a byte per frame (`kind`), then
 * checks it: a pointer into the middle of an object, into a frame the heap
 * does not own, or to an object already free (free objects carry a marker
 * word) is a panic naming the pointer, never a silent corruption.
 */
#include <kernel/heap.h>
#include <kernel/string.h>
#include <minios/console.h>
#include <minios/irqflags.h>
#include <minios/kernel.h>
#include <minios/list.h>
#include <minios/mm.h>
#include <minios/spinlock.h>

#define NR_CLASSES      8
#define MIN_CLASS_SHIFT 4 /* 16 bytes */
#define MAX_SMALL       2048
#define SLAB_MAGIC      0x51ab51abU
#define FREE_MARK       0xf4eef4eef4eef4eeULL

/*
 * A frame's kind byte: the top two bits say what it is; the low bits carry
 * a slab's size class or a large block's order.
 */
#define KIND_TYPE_MASK  0xc0
#define KIND_NONE       0x00 /* not the heap's (or a large block's tail, below) */
#define KIND_SLAB       0x40 /* a frame of a slab; low bits: its class */
#define KIND_LARGE      0x80 /* the first frame of a large block; low bits: order */
#define KIND_LARGE_TAIL 0x20 /* another frame of a large block (type bits 0) */
#define KIND_CLASS_MASK 0x0f
#define KIND_ORDER_MASK 0x1f

STATIC_ASSERT(NR_CLASSES <= KIND_CLASS_MASK + 1, "a class index fits the kind byte");
STATIC_ASSERT(MAX_PAGE_ORDER <= KIND_ORDER_MASK, "an order fits the kind byte");

static inline uint8_t kind_slab(unsigned int class_index)
{
    return (uint8_t)(KIND_SLAB | class_index);
}

static inline uint8_t kind_large(unsigned int order)
{
    return (uint8_t)(KIND_LARGE | order);
}

static inline bool kind_is_slab(uint8_t k)
{
    return (k & KIND_TYPE_MASK) == KIND_SLAB;
}

static inline bool kind_is_large(uint8_t k)
{
    return (k & KIND_TYPE_MASK) == KIND_LARGE;
}

static inline unsigned int kind_class(uint8_t k)
{
    return k & KIND_CLASS_MASK;
}

static inline unsigned int kind_order(uint8_t k)
{
    return k & KIND_ORDER_MASK;
}

struct slab {
    uint32_t magic;
    uint16_t class_index;
    uint16_t inuse;
    uint16_t capacity;
    void *free;               /* free objects, linked through their first word */
    struct list_node partial; /* on the class's partial list while it has free objects */
};

struct size_class {
    spinlock_t lock;
    struct list_node partial;
    unsigned int size;
    unsigned int slab_order;
    unsigned long slabs; /* slabs in existence */
};

static struct size_class classes[NR_CLASSES];
static uint8_t *kind;
static unsigned long kind_first, kind_count;

void heap_init(uint8_t *kind_array, unsigned long first_pfn, unsigned long nr)
{
    kind = kind_array;
    kind_first = first_pfn;
    kind_count = nr;
    memset(kind, KIND_NONE, nr);
    for (unsigned int i = 0; i < NR_CLASSES; i++) {
        classes[i].lock = (spinlock_t)SPINLOCK_INIT;
        list_init(&classes[i].partial);
        classes[i].size = 1U << (MIN_CLASS_SHIFT + i);
        classes[i].slab_order = classes[i].size <= 256 ? 0 : 3;
        classes[i].slabs = 0;
    }
}

static uint8_t *kind_of(const void *p)
{
    unsigned long pfn = (uintptr_t)p >> PAGE_SHIFT;

    if (!kind || pfn < kind_first || pfn - kind_first >= kind_count)
        return NULL;
    return &kind[pfn - kind_first];
}

static void set_kind(void *block, unsigned int order, uint8_t first, uint8_t rest)
{
    uint8_t *k = kind_of(block);

    k[0] = first;
    for (unsigned long i = 1; i < (1UL << order); i++)
        k[i] = rest;
}

static unsigned int class_for(size_t size)
{
    unsigned int i = 0;

    while ((1UL << (MIN_CLASS_SHIFT + i)) < size)
        i++;
    return i;
}

static size_t first_object_offset(const struct size_class *c)
{
    return ALIGN_UP(sizeof(struct slab), (size_t)c->size);
}

/* A new slab with every object free; class lock held. */
static struct slab *new_slab(struct size_class *c, unsigned int index)
{
    struct slab *s = alloc_pages_quiet(c->slab_order);

    if (!s)
        return NULL;
    size_t bytes = PAGE_SIZE << c->slab_order;
    char *obj = (char *)s + first_object_offset(c);
    char *end = (char *)s + bytes;

    s->magic = SLAB_MAGIC;
    s->class_index = (uint16_t)index;
    s->inuse = 0;
    s->capacity = 0;
    s->free = NULL;
    /* Link the objects so that the lowest address is handed out first. */
    for (char *o = end - c->size; o >= obj; o -= c->size) {
        ((void **)o)[0] = s->free;
        ((uint64_t *)o)[1] = FREE_MARK;
        s->free = o;
        s->capacity++;
    }
    set_kind(s, c->slab_order, kind_slab(index), kind_slab(index));
    list_add_head(&c->partial, &s->partial);
    c->slabs++;
    return s;
}

static void *slab_alloc(unsigned int index)
{
    struct size_class *c = &classes[index];
    unsigned long flags = local_irq_save();
    void *obj = NULL;

    spin_lock(&c->lock);
    struct slab *s = list_empty(&c->partial) ? new_slab(c, index)
                                             : list_first_entry(&c->partial, struct slab, partial);
    if (s) {
        obj = s->free;
        s->free = ((void **)obj)[0];
        ((uint64_t *)obj)[1] = 0;
        s->inuse++;
        if (!s->free)
            list_del(&s->partial); /* full */
    }
    spin_unlock(&c->lock);
    local_irq_restore(flags);
    return obj;
}

static struct slab *slab_of(const void *p, uint8_t k)
{
    const struct size_class *c = &classes[kind_class(k)];
    uintptr_t mask = (PAGE_SIZE << c->slab_order) - 1;
    struct slab *s = (struct slab *)((uintptr_t)p & ~mask);

    if (s->magic != SLAB_MAGIC || s->class_index != kind_class(k))
        panic("kfree(%p): the slab header at %p is damaged", p, (void *)s);
    return s;
}

static void slab_free(void *p, uint8_t k)
{
    unsigned int index = kind_class(k);
    struct size_class *c = &classes[index];
    struct slab *s = slab_of(p, k);
    size_t offset = (size_t)((char *)p - (char *)s);

    if (offset < first_object_offset(c) || (offset - first_object_offset(c)) % c->size)
        panic("kfree(%p): not the start of a %u-byte object", p, c->size);
    if (((uint64_t *)p)[1] == FREE_MARK)
        panic("kfree(%p): double free of a %u-byte object", p, c->size);

    unsigned long flags = local_irq_save();
    bool release = false;

    spin_lock(&c->lock);
    if (!s->free)
        list_add_head(&c->partial, &s->partial); /* was full */
    ((void **)p)[0] = s->free;
    ((uint64_t *)p)[1] = FREE_MARK;
    s->free = p;
    if (--s->inuse == 0 && c->slabs > 1) {
        /* Keep one slab per class around, so alloc/free pairs do not thrash. */
        list_del(&s->partial);
        set_kind(s, c->slab_order, KIND_NONE, KIND_NONE);
        s->magic = 0;
        c->slabs--;
        release = true;
    }
    spin_unlock(&c->lock);
    local_irq_restore(flags);
    if (release)
        free_pages(s, c->slab_order);
}

static void *large_alloc(size_t size)
{
    unsigned int order = 0;

    while ((PAGE_SIZE << order) < size) {
        if (++order > MAX_PAGE_ORDER)
            return NULL;
    }
    void *p = alloc_pages_quiet(order);

    if (p)
        set_kind(p, order, kind_large(order), KIND_LARGE_TAIL);
    return p;
}

void *kmalloc(size_t size)
{
    void *p;

    if (size == 0)
        return NULL;
    p = size <= MAX_SMALL ? slab_alloc(class_for(size)) : large_alloc(size);
    if (!p)
        printk("kmalloc: out of memory for %zu bytes\n", size);
    return p;
}

size_t kmalloc_size(const void *ptr)
{
    uint8_t *k = kind_of(ptr);

    if (!k)
        return 0;
    if (kind_is_slab(*k))
        return classes[kind_class(*k)].size;
    if (kind_is_large(*k))
        return PAGE_SIZE << kind_order(*k);
    return 0;
}

void kfree(void *ptr)
{
    uint8_t *k;

    if (!ptr)
        return;
    k = kind_of(ptr);
    if (!k || *k == KIND_NONE || *k == KIND_LARGE_TAIL)
        panic("kfree(%p): not a pointer kmalloc() returned (or already freed)", ptr);
    if (kind_is_slab(*k)) {
        slab_free(ptr, *k);
        return;
    }
    if ((uintptr_t)ptr & ~PAGE_MASK)
        panic("kfree(%p): points inside a large block", ptr);
    unsigned int order = kind_order(*k);

    set_kind(ptr, order, KIND_NONE, KIND_NONE);
    free_pages(ptr, order);
}

void *kcalloc(size_t count, size_t size)
{
    size_t bytes;

    if (__builtin_mul_overflow(count, size, &bytes)) {
        printk("kcalloc: %zu x %zu bytes overflows\n", count, size);
        return NULL;
    }
    void *p = kmalloc(bytes);

    if (p)
        memset(p, 0, bytes);
    return p;
}

void *krealloc(void *ptr, size_t size)
{
    if (!ptr)
        return kmalloc(size);
    if (size == 0) {
        kfree(ptr);
        return NULL;
    }
    size_t have = kmalloc_size(ptr);

    if (have == 0)
        panic("krealloc(%p): not a pointer kmalloc() returned", ptr);
    if (size <= have && (size > have / 2 || have <= 16))
        return ptr; /* still a good fit */
    void *p = kmalloc(size);

    if (p) {
        memcpy(p, ptr, size < have ? size : have);
        kfree(ptr);
    }
    return p;
}
