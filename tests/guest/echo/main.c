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
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char line[512];
    int n = 0;

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
