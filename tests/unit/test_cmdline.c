/*
 * lib/cmdline.c: a table of quoting cases, then random lines of quotes,
 * backslashes and blanks.  For those the properties are: no read or write
 * outside the line (run under AddressSanitizer), at most n/2 + 1 words, and
 * quoting the words back and splitting again gives the same words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/cmdline.h>
#include "unit.h"

static unsigned long long seed = 7;

static void expect(const char *line, int n, const char *const *words)
{
    char *buf = strdup(line);
    char *got[64];
    int count = cmdline_split(buf, got, 64);

    CHECK(count == n, "\"%s\": %d words, want %d", line, count, n);
    for (int i = 0; i < n && i < count; i++)
        CHECK(strcmp(got[i], words[i]) == 0, "\"%s\": word %d is \"%s\", want \"%s\"", line, i,
              got[i], words[i]);
    free(buf);
}

#define EXPECT(line, ...)                                                                          \
    do {                                                                                           \
        static const char *const w[] = {__VA_ARGS__};                                              \
        expect(line, (int)(sizeof(w) / sizeof(w[0])), w);                                          \
    } while (0)

static void table(void)
{
    expect("", 0, NULL);
    expect("   \t\n ", 0, NULL);
    EXPECT("a", "a");
    EXPECT("  a  b  ", "a", "b");
    EXPECT("a 'b c' d", "a", "b c", "d");
    EXPECT("\"x \\\" y\"", "x \" y");
    EXPECT("\"a\\\\b\"", "a\\b");
    EXPECT("\"a\\nb\"", "a\\nb");
    EXPECT("a\\ b", "a b");
    EXPECT("''", "");
    EXPECT("'' x \"\"", "", "x", "");
    EXPECT("a'b c'd", "ab cd");
    EXPECT("'it'\\''s'", "it's");
    EXPECT("'unterminated x", "unterminated x");
    EXPECT("\"unterminated \\", "unterminated \\");
    EXPECT("tab\tsep\nnl\rcr", "tab", "sep", "nl", "cr");
    EXPECT("trailing\\", "trailing\\");
    EXPECT("x=1 y='two words' --flag", "x=1", "y=two words", "--flag");

    /* More words than slots: the count is still right. */
    char buf[] = "a b c d e";
    char *few[2];
    CHECK(cmdline_split(buf, few, 2) == 5, "count beyond max_words");
    CHECK(strcmp(few[0], "a") == 0 && strcmp(few[1], "b") == 0, "first words stored");
}

/* Single-quotes every word (' becomes '\'') and joins them with spaces. */
static size_t requote(char **words, int n, char *out)
{
    size_t len = 0;

    for (int i = 0; i < n; i++) {
        if (i)
            out[len++] = ' ';
        out[len++] = '\'';
        for (const char *p = words[i]; *p; p++) {
            if (*p == '\'') {
                memcpy(out + len, "'\\''", 4);
                len += 4;
            } else {
                out[len++] = *p;
            }
        }
        out[len++] = '\'';
    }
    out[len] = '\0';
    return len;
}

static void random_lines(void)
{
    static const char alphabet[] = "ab '\"\\\t";

    for (int round = 0; round < 100000; round++) {
        size_t n = unit_rand(&seed) % 200;
        char *line = malloc(n + 1); /* exact size: ASan sees any overrun */
        char *words[128], *again[128];

        for (size_t i = 0; i < n; i++)
            line[i] = alphabet[unit_rand(&seed) % (sizeof(alphabet) - 1)];
        line[n] = '\0';

        int count = cmdline_split(line, words, 128);
        CHECK((size_t)count <= n / 2 + 1, "%d words from %zu bytes", count, n);
        for (int i = 0; i < count && i < 128; i++)
            CHECK(words[i] >= line && words[i] <= line + n, "word %d outside the line", i);

        char *quoted = malloc(n * 5 + 3 * (size_t)count + 2);
        requote(words, count, quoted);
        int count2 = cmdline_split(quoted, again, 128);
        CHECK(count2 == count, "requoted: %d words, want %d", count2, count);
        for (int i = 0; i < count && i < count2; i++)
            CHECK(strcmp(words[i], again[i]) == 0, "requoted word %d differs", i);
        free(quoted);
        free(line);
    }
}

/* Which quote a line leaves open, by the splitter's own rules. */
static void open_quotes(void)
{
    static const struct {
        const char *line;
        char open;
    } cases[] = {
        {"", 0},           {"a b c", 0},       {"a 'b c'", 0},     {"a 'b", '\''},
        {"a \"b", '"'},    {"'", '\''},        {"\"", '"'},        {"a\\'b", 0},
        {"'a\\'", 0},      {"\"a\\\" b", '"'}, {"\"a\\\\\" b", 0}, {"'\"' \"", '"'},
        {"\"'\" '", '\''}, {"it's", '\''},     {"a\\", 0},         {"'' \"\"", 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char got = cmdline_open_quote(cases[i].line);

        CHECK(got == cases[i].open, "open quote of [%s]: %c (%d), want %d", cases[i].line,
              got ? got : '-', got, cases[i].open);
    }
}

int main(void)
{
    table();
    open_quotes();
    random_lines();
    return unit_result("cmdline");
}
