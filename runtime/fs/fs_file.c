/*
 * Open files of the RAM file system, as the fd layer's kinds (fd.h): a
 * regular file reads and writes its node's bytes at the offset the fd
 * layer hands in (the end of the file, under the lock, for O_APPEND); a
 * directory is only read through readdir (dirent.c).  An open file holds
 * its node, so an unlinked file lives on until its last close.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "fs.h"

static struct ramfs_node *node_of(struct file *f)
{
    return f->priv;
}

static ssize_t file_read(struct file *f, void *buf, size_t n, off_t *pos)
{
    struct ramfs *fs = fs_lock();
    ssize_t ret;

    if (!fs)
        return -ENOMEM;
    ret = ramfs_read(node_of(f), buf, n, *pos);
    if (ret > 0)
        *pos += ret;
    fs_unlock();
    return ret;
}

static ssize_t file_write(struct file *f, const void *buf, size_t n, off_t *pos)
{
    struct ramfs *fs = fs_lock();
    ssize_t ret;

    if (!fs)
        return -ENOMEM;
    /* O_APPEND: at the end as it is now, whatever another fd just wrote. */
    if (__atomic_load_n(&f->flags, __ATOMIC_RELAXED) & O_APPEND)
        *pos = (off_t)node_of(f)->size;
    ret = ramfs_write(fs, node_of(f), buf, n, *pos);
    if (ret > 0)
        *pos += ret;
    fs_unlock();
    return ret;
}

static int node_fstat(struct file *f, struct stat *st)
{
    if (!fs_lock())
        return -ENOMEM;
    fs_fill_stat(node_of(f), st);
    fs_unlock();
    return 0;
}

static int file_truncate(struct file *f, off_t length)
{
    struct ramfs *fs = fs_lock();
    int ret;

    if (!fs)
        return -ENOMEM;
    ret = ramfs_truncate(fs, node_of(f), length);
    fs_unlock();
    return ret;
}

static void node_release(struct file *f)
{
    struct ramfs *fs = fs_lock();

    if (fs) { /* the tree exists: the node came from it */
        ramfs_release(fs, node_of(f));
        fs_unlock();
    }
}

static const struct file_ops regular_ops = {
    .kind = "file",
    .seekable = true,
    .read = file_read,
    .write = file_write,
    .fstat = node_fstat,
    .truncate = file_truncate,
    .release = node_release,
};

static ssize_t dir_read(struct file *f, void *buf, size_t n, off_t *pos)
{
    (void)f;
    (void)buf;
    (void)n;
    (void)pos;
    return -EISDIR;
}

/* The offset of a directory is readdir's index (dirent.c). */
static const struct file_ops dir_ops = {
    .kind = "directory",
    .seekable = true,
    .read = dir_read,
    .fstat = node_fstat,
    .release = node_release,
};

void fs_fill_stat(const struct ramfs_node *node, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = 1;
    st->st_ino = node->ino;
    st->st_mode = (node->type == RAMFS_DIR ? S_IFDIR : S_IFREG) | node->mode;
    st->st_nlink = node->type == RAMFS_DIR ? 2 : node->links;
    st->st_size = node->type == RAMFS_DIR ? 0 : (off_t)node->size;
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t)((node->capacity + 511) / 512);
    st->st_mtim.tv_sec = node->mtime_ns / 1000000000;
    st->st_mtim.tv_nsec = node->mtime_ns % 1000000000;
    st->st_ctim.tv_sec = node->ctime_ns / 1000000000;
    st->st_ctim.tv_nsec = node->ctime_ns % 1000000000;
    st->st_atim = st->st_mtim; /* reads are not recorded */
}

int fs_open_node(struct ramfs_node *node, int flags)
{
    struct file *f;
    int fd;

    f = file_new(node->type == RAMFS_DIR ? &dir_ops : &regular_ops, node,
                 flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
    if (!f)
        return -ENOMEM;
    ramfs_hold(node);
    fd = fd_install(f, 0);
    file_put(f); /* the fd's reference is left; on EMFILE none, and the node is let go */
    return fd;
}

struct file *fs_dir_file(int fd, int *err)
{
    struct file *f = fd_get(fd);

    if (!f) {
        *err = EBADF;
        return NULL;
    }
    if (f->ops != &dir_ops) {
        file_put(f);
        *err = ENOTDIR;
        return NULL;
    }
    return f;
}

struct file *fs_node_file(int fd, int *err)
{
    struct file *f = fd_get(fd);

    if (!f) {
        *err = EBADF;
        return NULL;
    }
    if (f->ops != &dir_ops && f->ops != &regular_ops) {
        file_put(f);
        *err = EINVAL;
        return NULL;
    }
    return f;
}
