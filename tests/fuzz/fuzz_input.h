/*
 * What every fuzz target shares: an assertion that aborts (libFuzzer saves
 * the input that caused it), and a reader that draws bytes and numbers from
 * the fuzzer's input, giving zeros once it runs out.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: ASSERT(%s) failed\n", __FILE__, __LINE__, #cond);              \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct input {
    const uint8_t *data;
    size_t len, at;
};

static inline uint8_t next_byte(struct input *in)
{
    return in->at < in->len ? in->data[in->at++] : 0;
}

static inline uint32_t next_u32(struct input *in)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++)
        v = v << 8 | next_byte(in);
    return v;
}

#endif /* FUZZ_INPUT_H */
