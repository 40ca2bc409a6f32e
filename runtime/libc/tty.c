/*
 * The console as the controlling terminal: the only terminal (fd_console.c;
 * any fd that isatty() says is one), named /dev/console, whose foreground
 * process group is the only one, 1 (identity.c).  The name is what
 * ttyname() reports; the RAM file system has no /dev/console to open (fds 0,
 * 1 and 2 are the console from the start).  getpass() reads a line from it:
 * the console never echoes (termios.c), so nothing needs turning off.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CONSOLE_NAME "/dev/console"
#define PASS_MAX     128 /* bytes kept of a getpass() line, without the NUL */

/* Returns an error number, as ttyname_r() does. */
int ttyname_r(int fd, char *buf, size_t size)
{
    if (!isatty(fd))
        return errno;
    if (size < sizeof(CONSOLE_NAME))
        return ERANGE;
    memcpy(buf, CONSOLE_NAME, sizeof(CONSOLE_NAME));
    return 0;
}

char *ttyname(int fd)
{
    static char name[sizeof(CONSOLE_NAME)];
    int err = ttyname_r(fd, name, sizeof(name));

    if (err) {
        errno = err;
        return NULL;
    }
    return name;
}

char *ctermid(char *s)
{
    static char name[L_ctermid];

    if (!s)
        s = name;
    memcpy(s, CONSOLE_NAME, sizeof(CONSOLE_NAME));
    return s;
}

pid_t tcgetpgrp(int fd)
{
    return isatty(fd) ? getpgrp() : -1;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
    if (!isatty(fd))
        return -1;
    if (pgrp < 0) {
        errno = EINVAL;
        return -1;
    }
    if (pgrp != getpgrp()) {
        errno = EPERM; /* no other process group in this session */
        return -1;
    }
    return 0;
}

/* Prompts on stderr and reads one line from stdin (the newline dropped, the rest of a long line
 * too). */
char *getpass(const char *prompt)
{
    static char line[PASS_MAX + 1];
    size_t len = 0;
    char c;
    ssize_t n;

    if (prompt && write(STDERR_FILENO, prompt, strlen(prompt)) < 0)
        return NULL;
    while ((n = read(STDIN_FILENO, &c, 1)) == 1 && c != '\n') {
        if (len < PASS_MAX)
            line[len++] = c;
    }
    if (n < 0)
        return NULL;
    line[len] = '\0';
    return line;
}
