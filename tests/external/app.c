/*
 * An application built outside the minios tree, against an installed
 * minios (make install), by tests/sdk.sh: once with its Makefile
 * (minios.mk), once with pkg-config and the documented link line.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <minios/smp.h>
#include <minios/test.h>
#include <xen/xen.h>

static void *square(void *arg)
{
    long v = (long)arg;

    return (void *)(v * v);
}

static void test_libc_and_threads(void)
{
    char buf[32];
    pthread_t t;
    void *r;

    snprintf(buf, sizeof(buf), "%.2f|%s", 2.5, "ok");
    CHECK(strcmp(buf, "2.50|ok") == 0, "snprintf gave \"%s\"", buf);
    char *p = malloc(100000);
    CHECK(p != NULL, "malloc failed");
    free(p);
    CHECK(pthread_create(&t, NULL, square, (void *)12L) == 0, "pthread_create failed");
    CHECK(pthread_join(t, &r) == 0 && (long)r == 144, "the thread returned %ld", (long)r);
}

static void test_minios_api(void)
{
    CHECK(smp_cpu_count() >= 1, "no vCPUs");
    CHECK(__XEN_INTERFACE_VERSION__ >= 0x00040000, "an old Xen interface: %#x",
          __XEN_INTERFACE_VERSION__);
}

static const struct test tests[] = {
    TEST(test_libc_and_threads, "printf, malloc and a pthread from outside the tree"),
    TEST(test_minios_api, "the minios API and Xen's headers from the installed kit"),
};

int main(int argc, char **argv)
{
    printf("external app %s: built outside the tree\n", argv[0]);
    return test_main(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
