/*
 * What the thread-local storage tests share (tests/guest/tls/): variables
 * of every kind, defined in vars.c and used from the other files, so the
 * compiler reaches them both directly and through the initial-exec model.
 */
#ifndef TLS_TESTS_H
#define TLS_TESTS_H

#include <stdbool.h>
#include <stdint.h>

#include <minios/test.h>

#define TLS_INIT_LONG  0x1122334455667788L
#define TLS_INIT_WORDS 16
#define TLS_BIG_ALIGN  4096

struct tls_record {
    int id;
    char name[12];
    double scale;
};

/* Initialised: .tdata. */
extern _Thread_local long tls_long;
extern __thread struct tls_record tls_record;
extern _Thread_local unsigned int tls_words[TLS_INIT_WORDS]; /* i * 3 + 1 */
/* Zeroed: .tbss, one of them aligned far beyond the TCB's 16 bytes. */
extern __thread unsigned long tls_counter;
extern _Thread_local char tls_page[TLS_BIG_ALIGN] __attribute__((aligned(TLS_BIG_ALIGN)));
extern _Thread_local _Alignas(64) unsigned char tls_line[64];

/*
 * Checks that the calling thread's variables hold their initial values and
 * sit where the ABI puts them; returns what is wrong, or NULL.
 */
const char *tls_check_fresh(void);

/* Fills the calling thread's variables with values derived from @seed. */
void tls_fill(unsigned long seed);

/* True if they still hold what tls_fill(@seed) wrote. */
bool tls_holds(unsigned long seed);

/* The thread pointer as the ABI requires it: %fs:0 holds its own address. */
void *tls_thread_pointer(void);

#endif /* TLS_TESTS_H */
