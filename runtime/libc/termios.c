/*
 * <termios.h> on the console, the only terminal (fds 0, 1, 2).  A setting
 * is what the console's line discipline does (include/kernel/console.h):
 * ICRNL is its CR-as-LF rule, ICANON its ^D-as-end-of-file rule, and
 * tcsetattr() changes just those two; the rest of a struct termios is
 * reported as it is (no echo, no keyboard signals, output LF as CR LF)
 * whatever was asked, and tcgetattr() after tcsetattr() shows that, as
 * POSIX advises programs to check.  Speeds are recorded and mean nothing.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <kernel/console.h>

#define CONSOLE_FDS 3

static bool is_console(int fd)
{
    if (fd >= 0 && fd < CONSOLE_FDS)
        return true;
    errno = fd < 0 ? EBADF : ENOTTY;
    return false;
}

int tcgetattr(int fd, struct termios *t)
{
    if (!is_console(fd))
        return -1;

    unsigned int mode = console_input_mode();

    memset(t, 0, sizeof(*t));
    t->c_iflag = mode & CONSOLE_IN_CRNL ? ICRNL : 0;
    t->c_oflag = OPOST | ONLCR;
    t->c_cflag = CS8 | CREAD | CLOCAL;
    t->c_lflag = mode & CONSOLE_IN_EOF ? ICANON : 0;
    t->c_cc[VEOF] = 0x04; /* ^D */
    t->c_cc[VMIN] = 1;    /* a read returns once there is a byte */
    t->c_cc[VTIME] = 0;
    t->c_ispeed = t->c_ospeed = B115200;
    return 0;
}

int tcsetattr(int fd, int when, const struct termios *t)
{
    if (!is_console(fd))
        return -1;
    if (when != TCSANOW && when != TCSADRAIN && when != TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    unsigned int mode =
        (t->c_iflag & ICRNL ? CONSOLE_IN_CRNL : 0) | (t->c_lflag & ICANON ? CONSOLE_IN_EOF : 0);

    /* Output is written through at once: there is nothing to drain. */
    console_set_input_mode(mode, when == TCSAFLUSH);
    return 0;
}

void cfmakeraw(struct termios *t)
{
    t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t->c_cflag |= CS8;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t)
{
    return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
    return t->c_ospeed;
}

int cfsetispeed(struct termios *t, speed_t speed)
{
    t->c_ispeed = speed;
    return 0;
}

int cfsetospeed(struct termios *t, speed_t speed)
{
    t->c_ospeed = speed;
    return 0;
}

/* Waits (bounded) until the console's backend has taken what was written. */
int tcdrain(int fd)
{
    if (!is_console(fd))
        return -1;
    console_flush();
    return 0;
}

/* The input side discards what arrived and nobody has read; output has no queue. */
int tcflush(int fd, int queue)
{
    if (!is_console(fd))
        return -1;
    if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH) {
        errno = EINVAL;
        return -1;
    }
    if (queue != TCOFLUSH)
        console_set_input_mode(console_input_mode(), true);
    return 0;
}

/* Xen's console has no flow control a guest can switch. */
int tcflow(int fd, int action)
{
    if (!is_console(fd))
        return -1;
    errno = action >= TCOOFF && action <= TCION ? ENOSYS : EINVAL;
    return -1;
}

/* No serial line of ours to hold low: POSIX allows doing nothing. */
int tcsendbreak(int fd, int duration)
{
    (void)duration;
    return is_console(fd) ? 0 : -1;
}

/* The console is the controlling terminal of the one process, pid 1. */
pid_t tcgetsid(int fd)
{
    return is_console(fd) ? getpid() : -1;
}
