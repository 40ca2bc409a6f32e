/*
 * <termios.h> for the console (runtime/libc/termios.c).  newlib's
 * <termios.h> includes this; it defines only POSIX names, and cfmakeraw.
 *
 * The console is the only terminal (fds 0, 1, 2).  What its line
 * discipline can do (console/ldisc.h) is all a termios setting can change:
 *   ICRNL (c_iflag)   CR arrives as LF, CR LF as one LF; off: bytes as sent;
 *   ICANON (c_lflag)  ^D (c_cc[VEOF]) ends a read, and a read meeting it
 *                     first is end of file; a read still returns what is
 *                     there without waiting for a whole line, and there is
 *                     no line editing; off: ^D is an ordinary byte.
 * Always: no echo, no signals from the keyboard, output with OPOST|ONLCR
 * (LF goes out as CR LF: Xen's serial console does it for dom0).
 * tcsetattr() applies these two and leaves everything else as it is;
 * tcgetattr() shows what is in effect.  docs/applications.md has the rest.
 */
#ifndef MINIOS_POSIX_SYS_TERMIOS_H
#define MINIOS_POSIX_SYS_TERMIOS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma GCC visibility push(default)

typedef unsigned int tcflag_t;
typedef unsigned char cc_t;
typedef unsigned int speed_t;

#define NCCS 16

struct termios {
    tcflag_t c_iflag; /* input modes */
    tcflag_t c_oflag; /* output modes */
    tcflag_t c_cflag; /* control modes */
    tcflag_t c_lflag; /* local modes */
    cc_t c_cc[NCCS];  /* special characters */
    speed_t c_ispeed, c_ospeed;
};

/* c_cc indices */
#define VEOF   0
#define VEOL   1
#define VERASE 2
#define VINTR  3
#define VKILL  4
#define VMIN   5
#define VQUIT  6
#define VSTART 7
#define VSTOP  8
#define VSUSP  9
#define VTIME  10

/* c_iflag */
#define BRKINT 0x0001
#define ICRNL  0x0002
#define IGNBRK 0x0004
#define IGNCR  0x0008
#define IGNPAR 0x0010
#define INLCR  0x0020
#define INPCK  0x0040
#define ISTRIP 0x0080
#define IXANY  0x0100
#define IXOFF  0x0200
#define IXON   0x0400
#define PARMRK 0x0800

/* c_oflag */
#define OPOST  0x0001
#define ONLCR  0x0002
#define OCRNL  0x0004
#define ONOCR  0x0008
#define ONLRET 0x0010
#define OFILL  0x0020
#define OFDEL  0x0040

/* c_cflag */
#define CSIZE  0x0030
#define CS5    0x0000
#define CS6    0x0010
#define CS7    0x0020
#define CS8    0x0030
#define CSTOPB 0x0040
#define CREAD  0x0080
#define PARENB 0x0100
#define PARODD 0x0200
#define HUPCL  0x0400
#define CLOCAL 0x0800

/* c_lflag */
#define ECHO   0x0001
#define ECHOE  0x0002
#define ECHOK  0x0004
#define ECHONL 0x0008
#define ICANON 0x0010
#define IEXTEN 0x0020
#define ISIG   0x0040
#define NOFLSH 0x0080
#define TOSTOP 0x0100

/* Speeds: recorded in the structure; the console has none. */
#define B0      0
#define B50     50
#define B75     75
#define B110    110
#define B134    134
#define B150    150
#define B200    200
#define B300    300
#define B600    600
#define B1200   1200
#define B1800   1800
#define B2400   2400
#define B4800   4800
#define B9600   9600
#define B19200  19200
#define B38400  38400
#define B57600  57600
#define B115200 115200

/* tcsetattr() */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

/* tcflush() */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

/* tcflow() */
#define TCOOFF 0
#define TCOON  1
#define TCIOFF 2
#define TCION  3

speed_t cfgetispeed(const struct termios *t);
speed_t cfgetospeed(const struct termios *t);
int cfsetispeed(struct termios *t, speed_t speed);
int cfsetospeed(struct termios *t, speed_t speed);
int tcdrain(int fd);
int tcflow(int fd, int action);
int tcflush(int fd, int queue);
int tcgetattr(int fd, struct termios *t);
pid_t tcgetsid(int fd);
int tcsendbreak(int fd, int duration);
int tcsetattr(int fd, int when, const struct termios *t);
#if __BSD_VISIBLE || __GNU_VISIBLE
/* No input processing, 8-bit bytes, reads of at least one byte. */
void cfmakeraw(struct termios *t);
#endif

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* MINIOS_POSIX_SYS_TERMIOS_H */
