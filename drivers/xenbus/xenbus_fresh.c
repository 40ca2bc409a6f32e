/*
 * Hotplug's bookkeeping (include/kernel/xenbus_parse.h): which of the
 * devices listed under device/<type> is new.  Pure: host-unit-tested
 * (tests/unit/test_xenbus_fresh.c).
 */
#include <kernel/xenbus_parse.h>

static bool listed_fresh(unsigned int id, const unsigned int *ids, const bool *fresh, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == id)
            return fresh[i];
    }
    return false;
}

static bool was_offered(unsigned int id, const unsigned int *offered, size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        if (offered[i] == id)
            return true;
    }
    return false;
}

long xenbus_fresh_pick(const unsigned int *ids, const bool *fresh, size_t n, unsigned int *offered,
                       size_t *nr_offered, size_t max)
{
    size_t kept = 0;

    /* Forget what is no longer fresh: what is left is a subset of @ids, so at most @n <= @max. */
    for (size_t i = 0; i < *nr_offered; i++) {
        if (listed_fresh(offered[i], ids, fresh, n))
            offered[kept++] = offered[i];
    }
    *nr_offered = kept;
    for (size_t i = 0; i < n; i++) {
        if (!fresh[i] || was_offered(ids[i], offered, kept))
            continue;
        if (kept == max)
            return -1; /* only if @max < @n: the caller broke the contract */
        offered[kept++] = ids[i];
        *nr_offered = kept;
        return ids[i];
    }
    return -1;
}
