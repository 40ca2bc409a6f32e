/*
 * Eight threads spread over the vCPUs print 1,000 lines each with printf,
 * all at once.  tests/guest.sh checks that every line arrives whole and
 * exactly once, each thread's lines in order.  A line carries its thread,
 * its number, and a payload whose length and letters follow from both, so
 * a torn or merged line cannot pass for a good one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <minios/smp.h>

#define THREADS 8
#define LINES   1000

static void *storm(void *arg)
{
    int me = (int)(long)arg;
    char payload[64];

    for (int i = 0; i < LINES; i++) {
        int len = 10 + (i * 7 + me) % 40;

        for (int j = 0; j < len; j++)
            payload[j] = (char)('a' + (me + i + j) % 26);
        payload[len] = '\0';
        printf("storm %d %04d %02d %s\n", me, i, len, payload);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    unsigned int cpus = smp_cpu_count();

    printf("print storm: %d threads x %d lines on %u vCPUs\n", THREADS, LINES, cpus);
    for (int i = 0; i < THREADS; i++) {
        pthread_attr_t attr;

        pthread_attr_init(&attr);
        pthread_attr_setcpu_np(&attr, (int)(i % cpus));
        if (pthread_create(&t[i], &attr, storm, (void *)(long)i) != 0) {
            printf("print storm: pthread_create failed\n");
            return 1;
        }
        pthread_attr_destroy(&attr);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("print storm: done\n");
    return 0;
}
