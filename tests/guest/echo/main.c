/*
 * Console input through the C library: reads lines with fgets(stdin) and
 * answers each with a transformed copy, so a test can tell the answer from
 * the input (the input is not echoed by the console):
 *
 *     echo: ready                      before the first read
 *     echo N: <LINE IN UPPER CASE> (L bytes)
 *
 * "quit S" ends the run with exit status S ("echo: quit after N lines");
 * end of input (^D) ends it with status 0 ("echo: end of input after N
 * lines").  A line longer than the buffer is answered in pieces.
 *
 * "echo hold S N" instead sleeps S seconds without reading, then reads N
 * bytes with read(0) and says how many it got and their sum, so a test can
 * send more than the console holds and check what was kept:
 *
 *     echo: held 8 s, then read 4096 bytes, sum 123456
 *
 * "echo raw N" puts the console in raw mode (cfmakeraw, tcsetattr), says
 * "echo: raw, ready", reads N bytes with read(0) and shows them in hex:
 * CR, CR LF and ^D arrive as sent.
 *
 *     echo: raw read 3 bytes: 61 0d 04
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int hold_then_read(int seconds, long want)
{
    struct timespec pause = {seconds, 0};
    unsigned long sum = 0;
    long got = 0;
    char buf[256];

    printf("echo: ready\n");
    fflush(stdout);
    nanosleep(&pause, NULL);
    while (got < want) {
        size_t ask = (size_t)(want - got) < sizeof(buf) ? (size_t)(want - got) : sizeof(buf);
        int n = read(0, buf, ask);

        if (n <= 0)
            break;
        for (int i = 0; i < n; i++)
            sum += (unsigned char)buf[i];
        got += n;
    }
    printf("echo: held %d s, then read %ld bytes, sum %lu\n", seconds, got, sum);
    return 0;
}

static int raw_read(long want)
{
    struct termios t;
    unsigned char buf[64];
    long got = 0;

    if (want < 1 || want > (long)sizeof(buf) || tcgetattr(0, &t) != 0)
        return 2;
    cfmakeraw(&t);
    if (tcsetattr(0, TCSANOW, &t) != 0)
        return 3;
    printf("echo: raw, ready\n");
    fflush(stdout);
    while (got < want) {
        int n = read(0, buf + got, (size_t)(want - got));

        if (n <= 0)
            break;
        got += n;
    }
    printf("echo: raw read %ld bytes:", got);
    for (long i = 0; i < got; i++)
        printf(" %02x", buf[i]);
    printf("\n");
    return 0;
}

int main(int argc, char **argv)
{
    char line[512];
    int n = 0;

    if (argc == 4 && strcmp(argv[1], "hold") == 0)
        return hold_then_read(atoi(argv[2]), atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "raw") == 0)
        return raw_read(atol(argv[2]));

    printf("echo: ready\n");
    while (fgets(line, sizeof(line), stdin)) {
        size_t len = strcspn(line, "\n");

        line[len] = '\0';
        if (strncmp(line, "quit ", 5) == 0) {
            printf("echo: quit after %d lines\n", n);
            return atoi(line + 5);
        }
        n++;
        for (size_t i = 0; i < len; i++)
            line[i] = (char)toupper((unsigned char)line[i]);
        printf("echo %d: %s (%zu bytes)\n", n, line, len);
    }
    printf("echo: end of input after %d lines%s\n", n, ferror(stdin) ? " (read error)" : "");
    return 0;
}
