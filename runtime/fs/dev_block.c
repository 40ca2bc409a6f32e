/*
 * Disks as files: open("/dev/xvda") names the disk <minios/blkdev.h>
 * calls xvda, and read, write, pread, pwrite, lseek, fstat (the size) and
 * fsync (the backend's flush) work on it as on Linux's block devices:
 * any offset and length (a partial sector is read, changed and written
 * back), reads stop at the end of the disk, writes past it fail with
 * ENOSPC.  A read-only disk cannot be opened for writing (EROFS).  A
 * disk is connected on its first open and stays connected for the
 * domain's life (the xenbus handshake costs seconds under TCG).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include <minios/blkdev.h>
#include <minios/sync.h>

#include "fs.h"

/* One call moves at most this much (a short count, as for any file). */
#define IO_MAX ((size_t)1 << 30)

static struct mutex disks_lock = {.recursive = false};
static struct blkdev *disks[BLKDEV_MAX];

/* The driver's Xen errnos as newlib's (most are the same numbers; not all). */
static int errno_of(int xen_err)
{
    switch (-xen_err) {
    case XEN_EINVAL:
        return -EINVAL;
    case XEN_ENOSPC:
        return -ENOSPC;
    case XEN_EROFS:
        return -EROFS;
    case XEN_ENODEV:
        return -ENODEV;
    case XEN_EBUSY:
        return -EBUSY;
    case XEN_ENOMEM:
        return -ENOMEM;
    case XEN_ETIMEDOUT:
        return -ETIMEDOUT;
    case XEN_EOPNOTSUPP:
        return -EOPNOTSUPP;
    default:
        return -EIO;
    }
}

/* Reads or writes [@pos, @pos + @n) of the disk, any alignment: 0 or -errno. */
static int disk_io(struct blkdev *dev, bool write, uint64_t pos, char *buf, size_t n)
{
    uint32_t ss = blkdev_sector_size(dev);
    char *sector = NULL;
    int rc = 0;

    while (n && rc == 0) {
        uint64_t head = pos & (ss - 1);

        if (head || n < ss) { /* a partial sector: through a copy of the whole one */
            size_t part = ss - head < n ? ss - head : n;

            if (!sector && !(sector = malloc(ss)))
                return -ENOMEM;
            rc = blkdev_read(dev, pos - head, sector, ss);
            if (rc == 0 && write) {
                memcpy(sector + head, buf, part);
                rc = blkdev_write(dev, pos - head, sector, ss);
            } else if (rc == 0) {
                memcpy(buf, sector + head, part);
            }
            pos += part, buf += part, n -= part;
        } else {
            size_t whole = n & ~(size_t)(ss - 1);

            rc = write ? blkdev_write(dev, pos, buf, whole) : blkdev_read(dev, pos, buf, whole);
            pos += whole, buf += whole, n -= whole;
        }
    }
    free(sector);
    return rc < 0 ? errno_of(rc) : 0;
}

static ssize_t disk_read(struct file *f, void *buf, size_t n, off_t *pos)
{
    struct blkdev *dev = f->priv;
    uint64_t size = blkdev_size(dev);
    int rc;

    if ((uint64_t)*pos >= size)
        return 0;
    if (n > size - (uint64_t)*pos)
        n = (size_t)(size - (uint64_t)*pos);
    if (n > IO_MAX)
        n = IO_MAX;
    rc = disk_io(dev, false, (uint64_t)*pos, buf, n);
    if (rc < 0)
        return rc;
    *pos += (off_t)n;
    return (ssize_t)n;
}

static ssize_t disk_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
    struct blkdev *dev = f->priv;
    uint64_t size = blkdev_size(dev);
    int rc;

    if (n == 0)
        return 0;
    if ((uint64_t)*pos >= size)
        return -ENOSPC;
    if (n > size - (uint64_t)*pos) /* as Linux: what fits, then ENOSPC on the next call */
        n = (size_t)(size - (uint64_t)*pos);
    if (n > IO_MAX)
        n = IO_MAX;
    rc = disk_io(dev, true, (uint64_t)*pos, (char *)buf, n);
    if (rc < 0)
        return rc;
    *pos += (off_t)n;
    return (ssize_t)n;
}

static int disk_fstat(struct file *f, struct stat *st)
{
    struct blkdev *dev = f->priv;

    memset(st, 0, sizeof(*st));
    st->st_dev = 2;
    st->st_mode = S_IFBLK | (blkdev_readonly(dev) ? 0444 : 0666);
    st->st_nlink = 1;
    st->st_size = (off_t)blkdev_size(dev);
    st->st_blksize = (blksize_t)blkdev_sector_size(dev);
    st->st_blocks = (blkcnt_t)(blkdev_size(dev) / 512);
    return 0;
}

static int disk_sync(struct file *f)
{
    struct blkdev *dev = f->priv;
    int rc;

    if (blkdev_readonly(dev))
        return 0; /* nothing written, nothing to make durable */
    rc = blkdev_flush(dev);
    return rc < 0 ? errno_of(rc) : 0;
}

static const struct file_ops disk_ops = {
    .kind = "block device",
    .seekable = true,
    .read = disk_read,
    .write = disk_write,
    .fstat = disk_fstat,
    .sync = disk_sync,
};

/* Connects disk @name on first use: the disk, or NULL with *@err (-errno). */
static struct blkdev *disk_get(const char *name, int *err)
{
    char each[16];
    int count = blkdev_count(), rc = -ENOENT, slot = -1;

    for (int i = 0; i < count && i < BLKDEV_MAX; i++) {
        if (blkdev_name_of((unsigned int)i, each, sizeof(each)) == 0 && strcmp(each, name) == 0)
            slot = i;
    }
    if (slot < 0) {
        *err = -ENOENT;
        return NULL;
    }
    mutex_lock(&disks_lock);
    if (!disks[slot]) {
        disks[slot] = blkdev_open(name, &rc);
        if (!disks[slot])
            rc = rc == -XEN_ENODEV ? -ENXIO : errno_of(rc);
    }
    mutex_unlock(&disks_lock);
    *err = rc;
    return disks[slot];
}

int fs_open_disk(const char *name, int flags)
{
    struct blkdev *dev;
    struct file *f;
    int err, fd;

    if (!(dev = disk_get(name, &err)))
        return err;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if ((flags & O_ACCMODE) != O_RDONLY && blkdev_readonly(dev))
        return -EROFS;
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    f = file_new(&disk_ops, dev, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    if (!f)
        return -ENOMEM;
    fd = fd_install(f, 0);
    file_put(f);
    return fd;
}
