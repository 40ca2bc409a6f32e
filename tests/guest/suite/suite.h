/* What the files of the in-guest suite share (each test is declared where it is written). */
#ifndef SUITE_H
#define SUITE_H

#include <minios/compiler.h>

struct thread;

/* Shared by the files of the suite. */
#define DEADLINE(s) (monotonic_ns() + (s)*NSEC_PER_SEC) /* s seconds from now */
void join_all(struct thread **t, int n);                /* joins each, failing on error */

/* xenstore.c; without_store() and with_store() say where a test applies (.not_here) */
#define XS_TEST_ROOT "data/minios-test" /* everything the tests write is below */
void xs_expect_rc(const char *what, long got, long want);
void xs_test_cleanup(void); /* removes XS_TEST_ROOT */
const char *without_store(void);
const char *with_store(void);

#endif /* SUITE_H */
