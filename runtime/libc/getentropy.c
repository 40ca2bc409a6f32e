/*
 * getentropy() and getrandom() from the CPU's random-number instruction
 * (arch_random_u64(): RDRAND or RDSEED).  newlib's arc4random() seeds
 * itself from getentropy() and, if that fails, raises SIGKILL (our kill()
 * then ends the run as a crash), so a failure says why on the console,
 * once, before it is returned.  Errors: ENOSYS when the CPU (as Xen shows
 * it) has no such instruction, EIO when it has one that keeps failing, and
 * EIO for more than 256 bytes at once (getentropy's limit, as on glibc and
 * OpenBSD).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <kernel/arch.h>
#include <minios/console.h>

#define GETENTROPY_MAX 256

static void say_once(const char *why, const char *more)
{
    static int said; /* a race only prints the line twice */

    if (!said) {
        said = 1;
        printk("minios: no entropy: %s%s; getentropy/getrandom fail and arc4random() "
               "ends the program\n",
               why, more);
    }
}

/* Fills @buf with @len bytes from the CPU; 0, or -1 with errno set. */
static int fill(void *buf, size_t len)
{
    unsigned char *p = buf;

    if (!arch_random_source()) {
        say_once("the CPU has neither RDRAND nor RDSEED (Xen's CPUID)", "");
        errno = ENOSYS;
        return -1;
    }
    while (len) {
        uint64_t v;
        size_t n = len < sizeof(v) ? len : sizeof(v);

        if (!arch_random_u64(&v)) {
            say_once(arch_random_source(), " keeps failing");
            errno = EIO;
            return -1;
        }
        memcpy(p, &v, n);
        p += n;
        len -= n;
    }
    return 0;
}

int getentropy(void *buf, size_t len)
{
    if (len > GETENTROPY_MAX) {
        errno = EIO;
        return -1;
    }
    return fill(buf, len);
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
    if (flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM)) {
        errno = EINVAL;
        return -1;
    }
    if (len > PTRDIFF_MAX) /* what ssize_t holds */
        len = PTRDIFF_MAX;
    return fill(buf, len) ? -1 : (ssize_t)len;
}
