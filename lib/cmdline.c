/*
 * Command-line word splitting.  The line comes from outside the guest
 * (start_info.cmd_line), so this is written as a small state machine that
 * only ever moves forward and writes behind where it reads: it cannot run
 * past the terminating NUL or loop.
 */
#include <kernel/cmdline.h>
#include <stdbool.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_split(char *line, char **words, int max_words)
{
    const char *in = line;
    char *out = line;
    int count = 0;

    for (;;) {
        while (is_blank(*in))
            in++;
        if (!*in)
            break;

        char *word = out;
        bool in_word = true;

        while (in_word && *in) {
            char c = *in++;

            if (is_blank(c)) {
                in_word = false;
            } else if (c == '\'') {
                while (*in && *in != '\'')
                    *out++ = *in++;
                if (*in)
                    in++;
            } else if (c == '"') {
                while (*in && *in != '"') {
                    if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
                        in++;
                    *out++ = *in++;
                }
                if (*in)
                    in++;
            } else if (c == '\\' && *in) {
                *out++ = *in++;
            } else {
                *out++ = c;
            }
        }
        /*
         * The word ends with a NUL at `out`.  Every character written was
         * read first, so `out` never passes `in`; if the word ended on a
         * blank, `in` is already past that blank, and if it ended at the
         * line's NUL, that NUL is what gets rewritten.  No unread character
         * is ever overwritten.
         */
        *out++ = '\0';
        if (count < max_words)
            words[count] = word;
        count++;
    }
    return count;
}

char cmdline_open_quote(const char *line)
{
    const char *in = line;

    /* The quoting rules of cmdline_split(), reading only. */
    while (*in) {
        char c = *in++;

        if (c == '\'' || c == '"') {
            while (*in && *in != c) {
                if (c == '"' && *in == '\\' && (in[1] == '"' || in[1] == '\\'))
                    in++;
                in++;
            }
            if (!*in)
                return c;
            in++;
        } else if (c == '\\' && *in) {
            in++;
        }
    }
    return 0;
}

static bool is_assignment(const char *w)
{
    const char *p = w;

    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
        return false;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
           *p == '_')
        p++;
    return *p == '=';
}

int cmdline_env_words(char *const *words, int count, int *skip)
{
    int n = 0;

    while (n < count && is_assignment(words[n]))
        n++;
    *skip = n;
    /* A "--" after the assignments (or alone at the start) is dropped too. */
    if (n < count && words[n][0] == '-' && words[n][1] == '-' && words[n][2] == '\0')
        (*skip)++;
    return n;
}
