/*
 * Floods the console: LINES numbered lines (argv[1], default 3000) of 64
 * bytes that depend on the number, written with printf (stdout is
 * line-buffered: one write per line), PAUSE_MS apart (argv[2], default 0),
 * then the bytes written and the time it took.  The tests check every line
 * arrives once, whole and in order, and that the exit line comes last; or,
 * with a console backend that stops reading for a while, that the lines
 * missing add up to what the kernel says it dropped.
 *
 *     flood 000042 qrstuvwxyzABCDEF...    the alphabet below, rotated by 42
 *     flood: done: 3000 lines, 222000 bytes in 1234 ms (175 KiB/s)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <minios/time.h>

static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

int main(int argc, char **argv)
{
    int lines = argc > 1 ? atoi(argv[1]) : 3000;
    int pause_ms = argc > 2 ? atoi(argv[2]) : 0;
    struct timespec pause = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};
    unsigned long bytes = 0;
    uint64_t start = monotonic_ns();

    for (int n = 0; n < lines; n++) {
        char payload[65];

        for (int i = 0; i < 64; i++)
            payload[i] = alphabet[(n + i) % (int)(sizeof(alphabet) - 1)];
        payload[64] = '\0';
        bytes += (unsigned long)printf("flood %06d %s\n", n, payload);
        if (pause_ms)
            nanosleep(&pause, NULL);
    }

    uint64_t ms = (monotonic_ns() - start) / NSEC_PER_MSEC;

    printf("flood: done: %d lines, %lu bytes in %lu ms (%lu KiB/s)\n", lines, bytes,
           (unsigned long)ms, (unsigned long)(ms ? bytes * 1000 / 1024 / ms : 0));
    return 0;
}
