/*
 * libFuzzer target for lib/cmdline.c: the guest command line comes from
 * outside (start_info.cmd_line, at most 1023 bytes).  The input, cut at its
 * first NUL and at 1023 bytes, is split in an exactly sized buffer (ASan
 * sees any read or write past it), then:
 *   - the count respects the documented bound, n / 2 + 1 words;
 *   - every word stored lies inside the buffer, NUL-terminated there;
 *   - a smaller max_words stores a prefix of the same words;
 *   - quoting each word ('...' with ' as '\'') and splitting the joined
 *     line again gives the same words (the quoting the harnesses use);
 *   - cmdline_env_words finds a run of NAME=VALUE words at the start and
 *     skips one "--" after it, and nothing else.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/cmdline.h>
#include "fuzz_input.h"

#define LINE_MAX_BYTES 1023

static bool is_assignment_model(const char *w)
{
    size_t i = 0;

    if (!(w[0] == '_' || (w[0] >= 'A' && w[0] <= 'Z') || (w[0] >= 'a' && w[0] <= 'z')))
        return false;
    while (w[i] == '_' || (w[i] >= 'A' && w[i] <= 'Z') || (w[i] >= 'a' && w[i] <= 'z') ||
           (w[i] >= '0' && w[i] <= '9'))
        i++;
    return w[i] == '=';
}

/* Quotes @words for the splitter into a new string. */
static char *quote_all(char **words, int n)
{
    size_t len = 1;

    for (int i = 0; i < n; i++)
        len += 3 + 4 * strlen(words[i]);
    char *line = malloc(len), *p = line;

    ASSERT(line);
    for (int i = 0; i < n; i++) {
        if (i)
            *p++ = ' ';
        *p++ = '\'';
        for (const char *c = words[i]; *c; c++) {
            if (*c == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        *p++ = '\'';
    }
    *p = '\0';
    return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = strnlen((const char *)data, size);

    if (len > LINE_MAX_BYTES)
        len = LINE_MAX_BYTES;
    char *line = malloc(len + 1), *copy = malloc(len + 1);

    ASSERT(line && copy);
    memcpy(line, data, len);
    line[len] = '\0';
    memcpy(copy, line, len + 1);

    /*
     * A word appended after a blank is a word of its own exactly when no
     * quote is left open (a trailing backslash would take the blank).
     */
    if (len == 0 || line[len - 1] != '\\') {
        char *longer = malloc(len + 3), *words2[LINE_MAX_BYTES / 2 + 3];
        char open = cmdline_open_quote(line);

        ASSERT(longer && (open == 0 || open == '\'' || open == '"'));
        memcpy(longer, line, len);
        memcpy(longer + len, " x", 3);
        int before = cmdline_split(copy, words2, LINE_MAX_BYTES / 2 + 3);
        int after = cmdline_split(longer, words2, LINE_MAX_BYTES / 2 + 3);
        ASSERT(after == before + (open ? 0 : 1));
        if (!open)
            ASSERT(strcmp(words2[after - 1], "x") == 0);
        memcpy(copy, line, len + 1);
        free(longer);
    }

    int max = (int)(len / 2 + 2);
    char **words = calloc((size_t)max, sizeof(*words));
    ASSERT(words);
    int n = cmdline_split(line, words, max);

    ASSERT(n >= 0 && n <= (int)(len / 2 + 1));
    for (int i = 0; i < n; i++) {
        ASSERT(words[i] >= line && words[i] <= line + len);
        ASSERT(memchr(words[i], '\0', (size_t)(line + len + 1 - words[i])) != NULL);
        ASSERT(i == 0 || words[i] > words[i - 1]);
    }

    /* A smaller array: the same count, the same first words. */
    int small = n / 2;
    char **few = calloc((size_t)small + 1, sizeof(*few));
    ASSERT(few);
    ASSERT(cmdline_split(copy, few, small) == n);
    for (int i = 0; i < small; i++)
        ASSERT(strcmp(few[i], words[i]) == 0);

    /* Quoted and split again: the same words. */
    char *quoted = quote_all(words, n);
    char **again = calloc((size_t)n + 1, sizeof(*again));
    ASSERT(again);
    ASSERT(cmdline_split(quoted, again, n + 1) == n);
    for (int i = 0; i < n; i++)
        ASSERT(strcmp(again[i], words[i]) == 0);

    /* The environment words: the leading assignments, and one "--" after. */
    int skip = -1, env = cmdline_env_words(words, n, &skip);
    int want = 0;
    while (want < n && is_assignment_model(words[want]))
        want++;
    ASSERT(env == want);
    ASSERT(skip == env + (env < n && strcmp(words[env], "--") == 0));

    free(again);
    free(quoted);
    free(few);
    free(words);
    free(copy);
    free(line);
    return 0;
}
