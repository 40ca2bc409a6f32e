/*
 * A node's attributes in the RAM file system: its size (truncate), its mode bits (chmod), its
 * owner (chown), its time stamps (utimes, futimens...), and the mask
 * creation applies (umask).  One user, uid and gid 0 (identity.c): nothing
 * checks the bits, and 0 is the only owner a node can have, so chown to
 * another id is EINVAL (POSIX: "not a value supported by the
 * implementation").  A node keeps its last modification and status change
 * times; the access time is not recorded (stat reports the modification
 * time for it), so setting it alone changes nothing but the status time.
 * There are no symbolic links: lchown and lutimes are chown and utimes.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "fs.h"

#define MODE_BITS 07777

/*
 * futimens()'s special tv_nsec values: newlib's <sys/stat.h> defines them
 * only for Cygwin and RTEMS; these are its numbers, so the two agree if
 * ours ever gets them (neither is a valid tv_nsec otherwise).
 */
#ifndef UTIME_NOW
#define UTIME_NOW  -2L
#define UTIME_OMIT -1L
#endif

static mode_t creation_mask = 022;

mode_t fs_umask(void)
{
    return __atomic_load_n(&creation_mask, __ATOMIC_RELAXED);
}

mode_t umask(mode_t mask)
{
    return __atomic_exchange_n(&creation_mask, mask & 0777, __ATOMIC_RELAXED);
}

/* What a call does to a node, the lock held: 0 or -errno. */
typedef int (*node_op)(struct ramfs *fs, struct ramfs_node *node, const void *arg);

static int on_path(const char *path, node_op op, const void *arg)
{
    struct ramfs *fs = fs_lock();
    struct ramfs_node *node;
    int ret;

    if (!fs)
        return (int)fd_result(-ENOMEM);
    ret = ramfs_lookup(fs, path, &node);
    if (!ret)
        ret = op(fs, node, arg);
    fs_unlock();
    return (int)fd_result(ret);
}

static int on_fd(int fd, node_op op, const void *arg)
{
    int err, ret;
    struct file *f = fs_node_file(fd, &err);
    struct ramfs *fs;

    if (!f)
        return (int)fd_result(-err);
    fs = fs_lock();
    ret = fs ? op(fs, f->priv, arg) : -ENOMEM;
    if (fs)
        fs_unlock();
    file_put(f);
    return (int)fd_result(ret);
}

static int set_size(struct ramfs *fs, struct ramfs_node *node, const void *arg)
{
    return ramfs_truncate(fs, node, *(const off_t *)arg);
}

int truncate(const char *path, off_t length)
{
    return on_path(path, set_size, &length);
}

static int set_mode(struct ramfs *fs, struct ramfs_node *node, const void *arg)
{
    node->mode = *(const mode_t *)arg & MODE_BITS;
    node->ctime_ns = fs->now();
    return 0;
}

int chmod(const char *path, mode_t mode)
{
    return on_path(path, set_mode, &mode);
}

int fchmod(int fd, mode_t mode)
{
    return on_fd(fd, set_mode, &mode);
}

struct owner {
    uid_t uid;
    gid_t gid;
};

static int set_owner(struct ramfs *fs, struct ramfs_node *node, const void *arg)
{
    const struct owner *o = arg;

    if ((o->uid != 0 && o->uid != (uid_t)-1) || (o->gid != 0 && o->gid != (gid_t)-1))
        return -EINVAL;
    node->ctime_ns = fs->now();
    return 0;
}

int chown(const char *path, uid_t uid, gid_t gid)
{
    struct owner o = {uid, gid};

    return on_path(path, set_owner, &o);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
    return chown(path, uid, gid);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
    struct owner o = {uid, gid};

    return on_fd(fd, set_owner, &o);
}

/* [0] access, [1] modification; NULL for "now", as utimensat() takes them. */
static int set_times(struct ramfs *fs, struct ramfs_node *node, const void *arg)
{
    const struct timespec *ts = arg;
    int64_t now = fs->now();

    if (ts) {
        for (int i = 0; i < 2; i++) {
            if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
                (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
                return -EINVAL;
        }
        if (ts[1].tv_nsec == UTIME_NOW)
            node->mtime_ns = now;
        else if (ts[1].tv_nsec != UTIME_OMIT)
            node->mtime_ns = (int64_t)ts[1].tv_sec * 1000000000 + ts[1].tv_nsec;
    } else {
        node->mtime_ns = now;
    }
    node->ctime_ns = now;
    return 0;
}

int futimens(int fd, const struct timespec times[2])
{
    return on_fd(fd, set_times, times);
}

/* utimensat() without a directory (fs_at.c adds it). */
int fs_utimens(const char *path, const struct timespec times[2])
{
    return on_path(path, set_times, times);
}

/* struct timeval pairs as timespec pairs; -1 EINVAL if a field is out of range. */
static int from_timevals(const struct timeval tv[2], struct timespec ts[2])
{
    for (int i = 0; i < 2; i++) {
        if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) {
            errno = EINVAL;
            return -1;
        }
        ts[i].tv_sec = tv[i].tv_sec;
        ts[i].tv_nsec = tv[i].tv_usec * 1000;
    }
    return 0;
}

int utimes(const char *path, const struct timeval times[2])
{
    struct timespec ts[2];

    if (times && from_timevals(times, ts))
        return -1;
    return fs_utimens(path, times ? ts : NULL);
}

int lutimes(const char *path, const struct timeval times[2])
{
    return utimes(path, times);
}

int futimes(int fd, const struct timeval times[2])
{
    struct timespec ts[2];

    if (times && from_timevals(times, ts))
        return -1;
    return futimens(fd, times ? ts : NULL);
}
