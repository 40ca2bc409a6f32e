/*
 * The variables and their checks.  A fresh thread's copy must equal the
 * template exactly; a filled one must keep its pattern through any number
 * of switches and migrations, whatever other threads write to theirs.
 */
#include <string.h>

#include "tls_tests.h"

_Thread_local long tls_long = TLS_INIT_LONG;
__thread struct tls_record tls_record = {7, "template", 2.5};
_Thread_local unsigned int tls_words[TLS_INIT_WORDS] = {1,  4,  7,  10, 13, 16, 19, 22,
                                                        25, 28, 31, 34, 37, 40, 43, 46};
__thread unsigned long tls_counter;
_Thread_local char tls_page[TLS_BIG_ALIGN] __attribute__((aligned(TLS_BIG_ALIGN)));
_Thread_local _Alignas(64) unsigned char tls_line[64];

void *tls_thread_pointer(void)
{
    void *tp;

    __asm__ __volatile__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i])
            return false;
    }
    return true;
}

const char *tls_check_fresh(void)
{
    uintptr_t tp = (uintptr_t)tls_thread_pointer();

    if (tls_long != TLS_INIT_LONG)
        return "an initialised long lost its value";
    if (tls_record.id != 7 || strcmp(tls_record.name, "template") != 0 || tls_record.scale != 2.5)
        return "an initialised struct lost its value";
    for (unsigned int i = 0; i < TLS_INIT_WORDS; i++) {
        if (tls_words[i] != i * 3 + 1)
            return "an initialised array lost its value";
    }
    if (tls_counter != 0 || !all_zero(tls_page, sizeof(tls_page)) ||
        !all_zero(tls_line, sizeof(tls_line)))
        return "a zero-initialised variable is not zero";
    if ((uintptr_t)tls_page % TLS_BIG_ALIGN || (uintptr_t)tls_line % 64)
        return "a variable is not aligned as declared";
    /* Variant II: every variable lies below the thread pointer. */
    if ((uintptr_t)&tls_long >= tp || (uintptr_t)tls_page >= tp || (uintptr_t)&tls_counter >= tp)
        return "a variable is not below the thread pointer";
    return NULL;
}

void tls_fill(unsigned long seed)
{
    tls_long = (long)(seed * 0x9e3779b97f4a7c15UL);
    tls_record.id = (int)seed;
    tls_record.scale = (double)seed / 4;
    for (unsigned int i = 0; i < TLS_INIT_WORDS; i++)
        tls_words[i] = (unsigned int)(seed * 31 + i);
    tls_counter = seed;
    memset(tls_page, (int)(seed & 0xff), sizeof(tls_page));
    memset(tls_line, (int)((seed >> 8) & 0xff), sizeof(tls_line));
}

bool tls_holds(unsigned long seed)
{
    if (tls_long != (long)(seed * 0x9e3779b97f4a7c15UL) || tls_record.id != (int)seed ||
        tls_record.scale != (double)seed / 4 || tls_counter != seed)
        return false;
    for (unsigned int i = 0; i < TLS_INIT_WORDS; i++) {
        if (tls_words[i] != (unsigned int)(seed * 31 + i))
            return false;
    }
    for (size_t i = 0; i < sizeof(tls_page); i += 97) {
        if (tls_page[i] != (char)(seed & 0xff))
            return false;
    }
    return tls_line[0] == (unsigned char)((seed >> 8) & 0xff) &&
           tls_line[63] == (unsigned char)((seed >> 8) & 0xff);
}
