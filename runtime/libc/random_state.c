/*
 * initstate() and setstate() on newlib's random(), whose whole state is
 * one 64-bit number in the thread's struct _reent (its generator is the
 * same as rand()'s, whatever the state's size).  A state array is where
 * that number is kept while another array is in use: at least 8 bytes
 * (fewer is EINVAL), of which the first 8 are used.  Before the first
 * call, the state in use is a built-in array's.
 */
#include <errno.h>
#include <reent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STATE_BYTES sizeof(uint64_t)

static uint64_t builtin_state;
static char *in_use = (char *)&builtin_state;

/* Saves the generator's number into the array in use, and returns that array. */
static char *put_away(struct _reent *r)
{
    uint64_t next;

    _REENT_CHECK_RAND48(r);
    next = (uint64_t)_REENT_RAND_NEXT(r);
    memcpy(in_use, &next, STATE_BYTES);
    return in_use;
}

char *initstate(unsigned int seed, char *state, size_t size)
{
    char *old;

    if (size < STATE_BYTES) {
        errno = EINVAL;
        return NULL;
    }
    old = put_away(_REENT);
    srandom(seed);
    in_use = state;
    put_away(_REENT);
    return old;
}

char *setstate(char *state)
{
    struct _reent *r = _REENT;
    char *old = put_away(r);
    uint64_t next;

    memcpy(&next, state, STATE_BYTES);
    _REENT_RAND_NEXT(r) = next;
    in_use = state;
    return old;
}
