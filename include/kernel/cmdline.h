/*
 * Splitting the guest command line into words (lib/cmdline.c).
 *
 * Words are separated by blanks (space, tab, newline).  Single quotes take
 * everything up to the next single quote literally; double quotes group a
 * word and honour \" and \\ inside; outside quotes a backslash makes the next
 * character literal.  Quoted and unquoted pieces next to each other form one
 * word ("a'b c'd" is the word "ab cd"), and '' is an empty word.  An
 * unterminated quote runs to the end of the line.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stddef.h>

/*
 * Splits @line in place (it is rewritten: words are compacted and
 * NUL-terminated) and stores up to @max_words pointers in @words.
 * Returns the number of words found, which may exceed @max_words; only the
 * first @max_words are stored.  A line of n bytes never has more than
 * n / 2 + 1 words.
 */
int cmdline_split(char *line, char **words, int max_words);

/*
 * The quote character (' or ") that @line leaves open, or 0 if every quote
 * is closed: the same rules as cmdline_split(), which then takes the rest
 * of the line into the open quote's word.  The kernel warns about it.
 */
char cmdline_open_quote(const char *line);

/*
 * Returns how many of the first @count words are environment assignments: a
 * run of NAME=VALUE words at the start, NAME being [A-Za-z_][A-Za-z0-9_]*,
 * as a shell reads "LANG=C DEBUG=1 args".  *@skip is where the arguments
 * start: past the assignments and past a "--" that follows them (so
 * "-- X=1" passes X=1 as an argument).
 */
int cmdline_env_words(char *const *words, int count, int *skip);

#endif /* KERNEL_CMDLINE_H */
